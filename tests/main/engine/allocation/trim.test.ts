import { describe, expect, it } from 'vitest';
import { fromExtendedForm, fromPaperForm, groupCaps, withinInventory, type AllocProblem } from '../../../../src/main/engine/allocation/problem';
import { solveDecomposition } from '../../../../src/main/engine/allocation/decompose';
import { releaseIdleInstances } from '../../../../src/main/engine/allocation/trim';
import { syntheticExtended, syntheticPaper } from './fixtures';

/** Every per-group capacity row of the assignment holds under instances I. */
function capacityHolds(p: AllocProblem, I: Float64Array, x: Int32Array): boolean {
  const caps = groupCaps(p, I);
  const counts = new Float64Array(p.groupCount * p.k);
  for (let i = 0; i < p.n; i++) counts[p.groupOf[i] * p.k + x[i]]++;
  for (let g = 0; g < p.groupCount; g++)
    for (let j = 0; j < p.k; j++) if (p.hosted[j] && counts[g * p.k + j] > caps[j] + 1e-9) return false;
  return true;
}

describe('releasing idle instances', () => {
  const cases: [string, AllocProblem][] = [
    ['paper form, generous GPU budget', fromPaperForm(syntheticPaper(400, 8, 3, { gpuBudget: 200 }))],
    ['extended form, large inventory, low traffic', fromExtendedForm(syntheticExtended(600, 10, 3, 300, 5, { trafficQps: 5, spendCap: null }))],
  ];
  for (const [name, p] of cases) {
    it(`keeps the assignment feasible with no more instances and no more GPUs (${name})`, () => {
      const s = solveDecomposition(p, { timeLimitMs: 20_000 });
      expect(s.assignment).not.toBeNull();
      const trimmed = releaseIdleInstances(p, s.instances, s.assignment!);
      expect(capacityHolds(p, trimmed, s.assignment!)).toBe(true);
      expect(withinInventory(p, trimmed)).toBe(true);
      let before = 0, after = 0;
      trimmed.forEach((v, d) => {
        expect(v).toBeLessThanOrEqual(s.instances[d]);
        expect(v).toBeGreaterThanOrEqual(0);
        before += s.instances[d] * p.dep.gpus[d];
        after += v * p.dep.gpus[d];
      });
      expect(after).toBeLessThanOrEqual(before);
      // Minimal: removing any one more instance of a used deployment breaks a capacity row.
      trimmed.forEach((v, d) => {
        if (v === 0) return;
        const fewer = Float64Array.from(trimmed);
        fewer[d]--;
        expect(capacityHolds(p, fewer, s.assignment!)).toBe(false);
      });
    });
  }
});
