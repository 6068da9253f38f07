import { childSeed, createRng, type Rng } from '../predictor/rng';

// Counter-based randomness: every minute of a stream draws from its own generator, seeded from
// (seed, stream, minute), so any window of a demand is reproduced without replaying the minutes
// before it, and intervals and the request stream agree on the same per-minute multipliers.

export const STREAM_ARRIVALS = 1;
export const STREAM_MULTIPLIER = 2;
export const STREAM_COPIES = 3;

export function minuteRng(seed: number, stream: number, minute: number): Rng {
  return createRng(childSeed(childSeed(seed, stream), minute + 0x40000000));
}

/** Gamma(shape k, scale 1): Marsaglia and Tsang, boosted by U^(1/k) for k < 1. */
export function gamma(rng: Rng, k: number): number {
  if (k < 1) return gamma(rng, k + 1) * Math.pow(1 - rng.next(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
