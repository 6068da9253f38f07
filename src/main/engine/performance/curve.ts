import { closedLoop } from './estimate';
import { kvBytesPerToken, maxConcurrency, memoryPlan } from './memory';
import type { Deployment, MemoryPlan, Workload } from './types';

export interface CurvePointRaw {
  concurrency: number;
  outputTokensPerS: number;
  requestsPerS: number;
  ttftP90Ms: number;
  tpotP90Ms: number;
  kvUsedGb: number;
}

/** The closed-loop state at concurrencies 1 .. max (geometric spacing, max included). */
export function concurrencyCurve(d: Deployment, w: Workload, points = 24): { memory: MemoryPlan; maxConcurrency: number; points: CurvePointRaw[] } {
  const memory = memoryPlan(d);
  const maxC = maxConcurrency(d, w);
  const cs = new Set<number>([1, maxC]);
  for (let i = 1; i < points - 1; i++) cs.add(Math.max(1, Math.round(Math.pow(maxC, i / (points - 1)))));
  const perToken = kvBytesPerToken(d);
  const out = [...cs].sort((a, b) => a - b).map((c) => {
    const s = closedLoop(d, w, c);
    return {
      concurrency: c,
      outputTokensPerS: s.outputTokensPerS,
      requestsPerS: s.outputTokensPerS / w.outputTokens,
      ttftP90Ms: s.ttftS * 1000,
      tpotP90Ms: s.tpotS * 1000,
      kvUsedGb: (c * (w.inputTokens + w.outputTokens / 2) * perToken) / 1e9,
    };
  });
  return { memory, maxConcurrency: maxC, points: out };
}
