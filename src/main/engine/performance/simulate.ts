import { costModel } from './iteration';
import { engineProfiles } from './profiles';
import type { Deployment, Workload } from './types';

// A short fixed-seed simulation of continuous batching under Poisson arrivals: FCFS admission
// while fewer than `maxConcurrency` sequences hold KV cache, chunked prefill (the iteration's
// token budget goes to decodes first, then to waiting prompts in arrival order), one token per
// running sequence per iteration. Iteration times come from the cost model. Per-request TTFT and
// TPOT come out; the first 10% of requests (warm-up) are not counted. Deterministic by
// construction: the seed is fixed and lengths are the workload's.
// Between events (an arrival that can be admitted, a prompt chunk, a sequence finishing) every
// iteration decodes the same sequences over a context growing by one token each, so runs of
// such iterations are advanced at once, timed at their middle context (the step time is linear
// in the context between events). That keeps a run to a few steps per request.

export interface SimResult {
  ttftS: Float64Array;
  tpotS: Float64Array;
  outputTokensPerS: number;
  requestsPerS: number;
  meanRunning: number;
}

/** mulberry32: a small seeded generator, enough for arrival times. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const defaultSimRequests = 300;

export function simulateRate(d: Deployment, w: Workload, rate: number, maxConc: number, opts: { requests?: number; seed?: number } = {}): SimResult {
  const n = opts.requests ?? defaultSimRequests;
  const next = rng(opts.seed ?? 20261207);
  const cost = costModel(d);
  const chunk = engineProfiles[d.engine].prefillChunkTokens;
  const I = w.inputTokens;
  const O = Math.max(1, Math.round(w.outputTokens));
  const arrival = new Float64Array(n);
  let t0 = 0;
  for (let i = 0; i < n; i++) {
    t0 += -Math.log(1 - next()) / rate;
    arrival[i] = t0;
  }
  const firstToken = new Float64Array(n);
  const finish = new Float64Array(n);
  const prefilled = new Float64Array(n); // prompt tokens done
  // Lengths are equal and first tokens come in request order, so sequences finish in order.
  const finishAt = new Float64Array(n); // iteration at which request r finishes
  let finishHead = 0; // next request to finish
  let admitted = 0; // requests [0, admitted) have been admitted; [prefillHead, admitted) still prefill
  let prefillHead = 0;
  let running = 0; // sequences holding KV (prefilling or decoding)
  let decoding = 0;
  let kv = 0; // resident context tokens
  let done = 0;
  let t = 0;
  let iter = 0;
  let runningTime = 0;
  while (done < n) {
    if (running === 0 && admitted < n && arrival[admitted] > t) t = arrival[admitted];
    while (admitted < n && arrival[admitted] <= t && running < maxConc) {
      admitted++;
      running++;
    }
    if (prefillHead === admitted && decoding > 0) {
      // Only decodes until the next event: advance the whole run at once.
      const untilFinish = finishAt[finishHead] - iter;
      const dt0 = cost.step(decoding, kv, 0, 0);
      const canAdmit = admitted < n && running < maxConc;
      const untilArrival = canAdmit ? Math.max(1, Math.floor((arrival[admitted] - t) / dt0)) : Infinity;
      const k = Math.max(1, Math.min(untilFinish, untilArrival));
      const dt = k * cost.step(decoding, kv + ((k - 1) / 2) * decoding, 0, 0);
      t += dt;
      iter += k;
      runningTime += running * dt;
      kv += k * decoding;
    } else {
      let budget = Math.max(chunk - decoding, 0);
      let prefillTokens = 0;
      let spanSum = 0;
      const from = prefillHead;
      for (let r = prefillHead; r < admitted && budget > 0; r++) {
        const take = Math.min(I - prefilled[r], budget);
        spanSum += take * (prefilled[r] + take / 2);
        prefilled[r] += take;
        budget -= take;
        prefillTokens += take;
      }
      const dt = cost.step(decoding, kv, prefillTokens, prefillTokens > 0 ? spanSum / prefillTokens : 0);
      t += dt;
      iter++;
      runningTime += running * dt;
      kv += decoding + prefillTokens;
      for (let r = from; r < admitted && prefilled[r] >= I; r++) {
        firstToken[r] = t;
        prefillHead = r + 1;
        decoding++;
        kv += 1;
        finishAt[r] = iter + O - 1;
      }
    }
    while (finishHead < prefillHead && finishAt[finishHead] <= iter) {
      const r = finishHead++;
      finish[r] = t;
      decoding--;
      running--;
      kv -= I + O;
      done++;
    }
  }
  const skip = Math.floor(n / 10);
  const m = n - skip;
  const ttftS = new Float64Array(m);
  const tpotS = new Float64Array(m);
  for (let i = skip; i < n; i++) {
    ttftS[i - skip] = firstToken[i] - arrival[i];
    tpotS[i - skip] = O > 1 ? (finish[i] - firstToken[i]) / (O - 1) : 0;
  }
  const span = finish[n - 1] - arrival[skip];
  return { ttftS, tpotS, outputTokensPerS: (m * O) / span, requestsPerS: m / span, meanRunning: runningTime / t };
}
