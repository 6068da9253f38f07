import { costModel } from './iteration';
import { engineProfiles } from './profiles';
import type { Deployment, Workload } from './types';

// A short fixed-seed simulation of continuous batching under Poisson arrivals: FCFS admission
// while fewer than `maxConcurrency` sequences hold KV cache, chunked prefill (the iteration's
// token budget goes to decodes first, then to waiting prompts in arrival order), one token per
// running sequence per iteration. Iteration times come from the cost model. Per-request TTFT and
// TPOT come out; the first 10% of requests (warm-up) are not counted. Deterministic by
// construction: the seed is fixed and lengths are the workload's.

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

export function simulateRate(d: Deployment, w: Workload, rate: number, maxConc: number, opts: { requests?: number; seed?: number } = {}): SimResult {
  const n = opts.requests ?? 400;
  const next = rng(opts.seed ?? 20261207);
  const cost = costModel(d);
  const chunk = engineProfiles[d.engine].prefillChunkTokens;
  const I = w.inputTokens;
  const O = Math.max(1, w.outputTokens);
  const arrival = new Float64Array(n);
  let t0 = 0;
  for (let i = 0; i < n; i++) {
    t0 += -Math.log(1 - next()) / rate;
    arrival[i] = t0;
  }
  const firstToken = new Float64Array(n);
  const finish = new Float64Array(n);
  const prefilled = new Float64Array(n); // prompt tokens done
  const finishIter = new Map<number, number[]>();
  let admitted = 0; // requests [0, admitted) hold KV; [prefillHead, admitted) still prefilling
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
    let budget = Math.max(chunk - decoding, 0);
    let prefillTokens = 0;
    let ctxSum = 0;
    const completing: number[] = [];
    for (let r = prefillHead; r < admitted && budget > 0; r++) {
      const take = Math.min(I - prefilled[r], budget);
      ctxSum += take * (prefilled[r] + take / 2);
      prefilled[r] += take;
      budget -= take;
      prefillTokens += take;
      if (prefilled[r] >= I) completing.push(r);
    }
    const dt = cost.step(decoding, kv, prefillTokens, prefillTokens > 0 ? ctxSum / prefillTokens : 0);
    t += dt;
    iter++;
    runningTime += running * dt;
    kv += decoding + prefillTokens;
    for (const r of completing) {
      firstToken[r] = t;
      prefillHead = r + 1;
      if (O === 1) {
        finish[r] = t;
        running--;
        kv -= I;
        done++;
      } else {
        decoding++;
        kv += 1;
        const at = iter + O - 1;
        const list = finishIter.get(at);
        if (list) list.push(r);
        else finishIter.set(at, [r]);
      }
    }
    const ending = finishIter.get(iter);
    if (ending) {
      finishIter.delete(iter);
      for (const r of ending) {
        finish[r] = t;
        decoding--;
        running--;
        kv -= I + O;
        done++;
      }
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
