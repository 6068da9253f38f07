import { EngineError } from '../../../shared/errors';
import { batchPrefillSeconds, costModel, prefillSeconds } from './iteration';
import { maxConcurrency, memoryPlan } from './memory';
import { engineProfiles } from './profiles';
import { simulateRate } from './simulate';
import type { Deployment, Load, MemoryPlan, Percentiles, PerfEstimate, Slo, Workload } from './types';

// Steady state of one instance under continuous batching.
// - At a concurrency C (closed loop: a finished request is replaced at once), B = min(C, max)
//   sequences run; every iteration decodes B tokens and, on average, prefills B x I / O prompt
//   tokens (each sequence needs I prompt tokens per O output tokens), over a resident context of
//   B x (I + O/2). TPOT = that iteration's time; output tok/s = B / TPOT; TTFT = half an iteration
//   of waiting + the iterations its prompt's chunks ride on + the prompt's own compute. Lengths
//   are fixed, so the percentiles equal the mean; requests beyond the KV limit wait whole
//   lifetimes (their TTFT grows by whole batches).
// - At a Poisson rate, a short fixed-seed simulation (simulate.ts) gives the percentiles.
// - Max throughput = the concurrency state at the KV / batch limit.
// - Goodput = the largest rate whose simulated p90 TTFT and p90 TPOT meet the SLO (bisection).

const flat = (x: number): Percentiles => ({ mean: x, p50: x, p90: x, p99: x });

function percentiles(xs: Float64Array, scale: number): Percentiles {
  const s = Float64Array.from(xs).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] * scale;
  let sum = 0;
  for (const x of s) sum += x;
  return { mean: (sum / s.length) * scale, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

interface ClosedLoop {
  tpotS: number;
  ttftS: number;
  outputTokensPerS: number;
}

/** Closed-loop steady state with `running` sequences (<= the KV / batch limit). */
export function closedLoop(d: Deployment, w: Workload, running: number): ClosedLoop {
  const I = w.inputTokens;
  const O = Math.max(1, w.outputTokens);
  const B = Math.max(1, running);
  const prefillPerIter = (B * I) / O;
  // prompt chunks come from prompts at every stage of their prefill: each token attends to ~I/2
  const t = costModel(d).step(B, B * (I + O / 2), prefillPerIter, I / 2);
  const chunk = engineProfiles[d.engine].prefillChunkTokens;
  const chunks = Math.max(1, Math.ceil(I / chunk));
  const own = prefillSeconds(d, I) - prefillSeconds(d, 0); // the prompt's own compute beyond an empty pass
  return { tpotS: t, ttftS: 0.5 * t + chunks * t + own, outputTokensPerS: B / t };
}

/**
 * `batch` requests that start together (a static batch, as LMDeploy's and Splitwise's profilers
 * run them): all prompts in one pass, then decoding. More requests than fit in the KV cache
 * (`maxC`) run in successive rounds; TTFT is then the mean over rounds.
 */
export function staticBatch(d: Deployment, w: Workload, batch: number, maxC = batch): ClosedLoop {
  const I = w.inputTokens;
  const O = Math.max(1, w.outputTokens);
  const running = Math.min(batch, maxC);
  const rounds = Math.ceil(batch / running);
  const prefill = batchPrefillSeconds(d, running, I);
  const step = costModel(d).step(running, running * (I + O / 2), 0, 0);
  const round = prefill + (O - 1) * step;
  return { ttftS: prefill + ((rounds - 1) / 2) * round, tpotS: step, outputTokensPerS: (batch * O) / (rounds * round) };
}

function fromClosed(d: Deployment, w: Workload, concurrency: number, maxC: number, memory: MemoryPlan): PerfEstimate {
  const running = Math.min(concurrency, maxC);
  const s = closedLoop(d, w, running);
  // Requests beyond the limit queue for whole request lifetimes of the running batch.
  const lifetime = s.ttftS + (w.outputTokens - 1) * s.tpotS;
  const queued = Math.max(0, concurrency - maxC);
  const ttft = s.ttftS + (queued / maxC) * lifetime;
  const rps = s.outputTokensPerS / Math.max(1, w.outputTokens);
  return { outputTokensPerS: s.outputTokensPerS, requestsPerS: rps, ttftMs: flat(ttft * 1000), tpotMs: flat(s.tpotS * 1000), concurrency: running, maxConcurrency: maxC, memory, source: 'estimated' };
}

function checkWorkload(w: Workload): void {
  for (const k of ['inputTokens', 'outputTokens'] as const) {
    if (!Number.isFinite(w[k]) || w[k] < 1) throw new EngineError('INVALID_INPUT', `${k} must be a positive number of tokens, not ${w[k]}`, { field: k });
  }
}

/** Requests/s at the rate's simulated steady state; throws INFEASIBLE at or above max throughput. */
function atRate(d: Deployment, w: Workload, rate: number, maxC: number, memory: MemoryPlan, requests?: number): PerfEstimate {
  const maxRps = closedLoop(d, w, maxC).outputTokensPerS / Math.max(1, w.outputTokens);
  if (!(rate > 0)) throw new EngineError('INVALID_INPUT', `rate must be positive requests/s, not ${rate}`, { field: 'rate' });
  if (rate >= maxRps) {
    throw new EngineError('INFEASIBLE', `${rate} requests/s is at or above this instance's maximum throughput of ${maxRps.toFixed(2)} requests/s (${w.inputTokens}/${w.outputTokens} tokens): the queue grows without bound`, { rate, maxRequestsPerS: maxRps });
  }
  const sim = simulateRate(d, w, rate, maxC, { requests });
  return {
    outputTokensPerS: rate * w.outputTokens,
    requestsPerS: rate,
    ttftMs: percentiles(sim.ttftS, 1000),
    tpotMs: percentiles(sim.tpotS, 1000),
    concurrency: sim.meanRunning,
    maxConcurrency: maxC,
    memory,
    source: 'estimated',
  };
}

/** The Poisson-rate estimate with a chosen simulation length (fits use shorter runs). */
export function estimateAtRate(d: Deployment, w: Workload, rate: number, requests?: number): PerfEstimate {
  checkWorkload(w);
  return atRate(d, w, rate, maxConcurrency(d, w), memoryPlan(d), requests);
}

export function estimate(d: Deployment, w: Workload, load: Load, slo?: Slo): PerfEstimate {
  checkWorkload(w);
  const memory = memoryPlan(d);
  const maxC = maxConcurrency(d, w);
  let out: PerfEstimate;
  if ('concurrency' in load) {
    if (!(load.concurrency >= 1)) throw new EngineError('INVALID_INPUT', `concurrency must be at least 1, not ${load.concurrency}`, { field: 'concurrency' });
    out = fromClosed(d, w, load.concurrency, maxC, memory);
  } else if ('rate' in load) {
    out = atRate(d, w, load.rate, maxC, memory);
  } else {
    out = fromClosed(d, w, maxC, maxC, memory);
  }
  if (slo) out.goodputRequestsPerS = goodput(d, w, slo);
  return out;
}

/**
 * Requests/s of ONE instance at which simulated p90 TTFT <= slo.ttftP90Ms and p90 TPOT <=
 * slo.tpotP90Ms: bisection on the rate between 0 and the maximum throughput (p90s rise with the
 * rate). 0 when even a lone request misses the SLO.
 */
export function goodput(d: Deployment, w: Workload, slo: Slo): number {
  checkWorkload(w);
  const memory = memoryPlan(d);
  const maxC = maxConcurrency(d, w);
  const maxRps = closedLoop(d, w, maxC).outputTokensPerS / Math.max(1, w.outputTokens);
  const lone = closedLoop(d, w, 1);
  if (lone.ttftS * 1000 > slo.ttftP90Ms || lone.tpotS * 1000 > slo.tpotP90Ms) return 0;
  const meets = (rate: number) => {
    const e = atRate(d, w, rate, maxC, memory);
    return e.ttftMs.p90 <= slo.ttftP90Ms && e.tpotMs.p90 <= slo.tpotP90Ms;
  };
  let lo = 0;
  let hi = maxRps * 0.98;
  if (meets(hi)) return hi;
  for (let i = 0; i < 10 && hi - lo > 0.005 * maxRps; i++) {
    const mid = (lo + hi) / 2;
    if (meets(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
