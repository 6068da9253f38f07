import { describe, expect, it } from 'vitest';
import { estimateCosts } from '../../../../src/main/engine/policy/cost';
import type { RouteQuery } from '../../../../src/main/engine/policy/queries';
import { onlineRule } from '../../../../src/main/engine/policy/rules';
import { createRng } from '../../../../src/main/engine/predictor/rng';

const q = (text: string, task: string | null = null, inputTokens: number | null = null): RouteQuery => ({ id: text, text, task, inputTokens, allowed: null });
const prices = [
  { priceInPerM: 10, priceOutPerM: 30 },
  { priceInPerM: 1, priceOutPerM: 2 },
];

describe('cost estimates', () => {
  it('per task: the task row, the "" row for queries without a task, the default for unknown (even prototype) names', () => {
    const model = { kind: 'per-task' as const, unit: 'USD' as const, default: [5, 6], byTask: { arc: [1, 2], '': [3, 4] } };
    const c = estimateCosts(model, prices, [q('a', 'arc'), q('b'), q('c', 'other'), q('d', 'constructor'), q('e', '__proto__')]);
    expect(Array.from(c)).toEqual([1, 2, 3, 4, 5, 6, 5, 6, 5, 6]);
  });

  it('tokens: input from the query or ceil(chars / charsPerToken), output per task, priced per 1M', () => {
    const model = { kind: 'tokens' as const, charsPerToken: 4, outputTokens: { default: [100, 100], byTask: { mbpp: [300, 200] } } };
    const c = estimateCosts(model, prices, [q('x'.repeat(10)), q('ignored', 'mbpp', 1000)]);
    expect(c[0]).toBeCloseTo((3 * 10 + 100 * 30) / 1e6, 15);
    expect(c[1]).toBeCloseTo((3 * 1 + 100 * 2) / 1e6, 15);
    expect(c[2]).toBeCloseTo((1000 * 10 + 300 * 30) / 1e6, 15);
    expect(c[3]).toBeCloseTo((1000 * 1 + 200 * 2) / 1e6, 15);
  });
});

describe('online dual-price rule', () => {
  it('is the argmax of p - λc - μ over the allowed models, ties to the lower index', () => {
    const rng = createRng(9);
    const n = 400;
    const k = 5;
    const p = Float32Array.from({ length: n * k }, () => Math.round(rng.next() * 8) / 8); // many ties
    const c = Float64Array.from({ length: n * k }, () => Math.round(rng.next() * 4) / 400);
    const mu = [0, 0.05, 0, 0.1, 0];
    const lambda = 10;
    const allowed = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Int32Array.from([4, 1, 3]) : null));
    const a = onlineRule(p, c, n, k, lambda, mu, allowed);
    for (let i = 0; i < n; i++) {
      const cand = allowed[i] ? Array.from(allowed[i]!).sort((x, y) => x - y) : [0, 1, 2, 3, 4];
      let best = cand[0];
      for (const j of cand) if (p[i * k + j] - lambda * c[i * k + j] - mu[j] > p[i * k + best] - lambda * c[i * k + best] - mu[best]) best = j;
      expect(a[i]).toBe(best);
    }
  });
});
