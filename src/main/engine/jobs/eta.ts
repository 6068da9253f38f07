/**
 * Time left from a smoothed rate of progress. The naive elapsed × (1 − f) / f swings with every
 * uneven stage (a slow encoding, then fast epochs) and can grow seconds before the end; here the
 * rate is an exponential average over samples at least `sampleMs` apart, and past `settleAt` the
 * estimate may only fall, so a nearly finished job never announces more time than it did.
 */
export interface EtaOptions {
  /** Weight of the newest rate sample (0..1). */
  alpha?: number;
  /** Shortest interval between rate samples, ms (progress may arrive far more often). */
  sampleMs?: number;
  /** No estimate before this much progress (too little to say anything). */
  minFraction?: number;
  /** From this fraction on, the estimate never grows. */
  settleAt?: number;
}

export function createEta(startMs: number, opts: EtaOptions = {}): (fraction: number, nowMs: number) => number | undefined {
  const alpha = opts.alpha ?? 0.25;
  const sampleMs = opts.sampleMs ?? 500;
  const minFraction = opts.minFraction ?? 0.01;
  const settleAt = opts.settleAt ?? 0.5;
  let lastT = startMs;
  let lastF = 0;
  let rate: number | null = null; // fraction per ms
  // The lowest promise so far, counted down in wall time: past settleAt no estimate exceeds it.
  let cap: { eta: number; at: number } | null = null;
  return (fraction, nowMs) => {
    const dt = nowMs - lastT;
    if (dt >= sampleMs && fraction > lastF) {
      const sample = (fraction - lastF) / dt;
      // The first sample counts from the start (it includes the job's set-up, which is real time too).
      rate = rate == null ? fraction / Math.max(1, nowMs - startMs) : alpha * sample + (1 - alpha) * rate;
      lastT = nowMs;
      lastF = fraction;
    }
    if (rate == null || rate <= 0 || fraction < minFraction) return undefined;
    let eta = Math.max(0, (1 - fraction) / rate);
    if (fraction >= settleAt) {
      const left = cap ? Math.max(0, cap.eta - (nowMs - cap.at)) : Infinity;
      if (eta < left) cap = { eta, at: nowMs };
      else eta = left;
    }
    return Math.round(eta);
  };
}
