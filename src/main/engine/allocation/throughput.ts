// Throughput of a self-hosted deployment, and the queueing delay in front of it.
//
// Assumptions (stated in the README and the Capacity screen):
// - An instance runs `slots` requests concurrently (continuous batching); each slot decodes at the
//   deployment's measured decode tokens/s regardless of how many slots are busy (the profile is
//   taken at full batch), and prefill runs at prefill tokens/s. Unknown prefill speed = neglected.
// - Service time of one query = output tokens / decode tok/s + input tokens / prefill tok/s.
// - Little's law at saturation (L = λW with L = slots): sustainable q/s = slots / service time.
// - Arrivals are Poisson and service times exponential: each model's pool of instances is an
//   M/M/c queue with c = total slots; the mean wait is Erlang C / (c μ - λ). Real service times
//   vary less than exponential, so this overstates the wait (a conservative estimate).
// - Planning keeps utilisation at or below maxUtilisation (default 0.8) for headroom.

/** Seconds one slot spends on a query. */
export function serviceSeconds(outputTokens: number, inputTokens: number, decodeTokensPerS: number, prefillTokensPerS: number | null): number {
  const decode = outputTokens / decodeTokensPerS;
  const prefill = prefillTokensPerS ? inputTokens / prefillTokensPerS : 0;
  return decode + prefill;
}

/** Sustainable queries per second of one instance (Little's law). */
export function instanceQps(slots: number, serviceS: number): number {
  return serviceS > 0 ? slots / serviceS : Infinity;
}

/**
 * Erlang C: probability that an arrival waits, for c servers at offered load a = λ/μ (in
 * servers). Computed through the Erlang B recursion, stable for thousands of servers.
 */
export function erlangC(c: number, a: number): number {
  if (c <= 0) return 1;
  if (a >= c) return 1;
  let b = 1;
  for (let m = 1; m <= c; m++) b = (a * b) / (m + a * b);
  const rho = a / c;
  return b / (1 - rho + rho * b);
}

export interface QueueEstimate {
  utilisation: number; // λ / (c μ), may exceed 1 when overloaded
  waitProbability: number;
  meanWaitS: number; // Infinity when overloaded
  meanLatencyS: number; // wait + service
}

/** M/M/c estimate for arrival rate λ (q/s) on c slots with per-slot service time s. */
export function mmcQueue(arrivalQps: number, slots: number, serviceS: number): QueueEstimate {
  if (arrivalQps <= 0) return { utilisation: 0, waitProbability: 0, meanWaitS: 0, meanLatencyS: serviceS };
  if (slots <= 0) return { utilisation: Infinity, waitProbability: 1, meanWaitS: Infinity, meanLatencyS: Infinity };
  const mu = 1 / serviceS;
  const a = arrivalQps / mu;
  const utilisation = a / slots;
  if (utilisation >= 1) return { utilisation, waitProbability: 1, meanWaitS: Infinity, meanLatencyS: Infinity };
  const pw = erlangC(Math.round(slots), a);
  const meanWaitS = pw / (slots * mu - arrivalQps);
  return { utilisation, waitProbability: pw, meanWaitS, meanLatencyS: meanWaitS + serviceS };
}
