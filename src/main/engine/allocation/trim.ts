// Releases instances that the routed assignment does not need. The optimisers maximise quality,
// and once every query has its best model, spare GPUs change nothing in the objective, so a plan
// could keep idle instances that cost money. With the assignment fixed, each hosted model needs
// only the capacity of its busiest group; every row stays satisfied (GPU and knapsack rows only
// lose terms) and the objective is unchanged, so the gap certificate still holds.
import { atMix } from './length-mix';
import { depCount, type AllocProblem } from './problem';

/** With lengths: capacity kept above the routed need, so that the plan, routed again from the
 *  whole sample's mix (mix-router.ts), finds a routing that fits its own mix at once. */
export const LENGTH_HEADROOM = 0.01;

// With lengths, each option's capacity is taken at the mix the assignment routes to its model.
export function releaseIdleInstances(problem: AllocProblem, instances: Float64Array, assignment: Int32Array): Float64Array {
  const p = atMix(problem, assignment);
  const out = Float64Array.from(instances);
  const need = new Float64Array(p.k);
  const counts = new Float64Array(p.groupCount * p.k);
  for (let i = 0; i < p.n; i++) {
    const c = ++counts[p.groupOf[i] * p.k + assignment[i]];
    if (c > need[assignment[i]]) need[assignment[i]] = c;
  }
  if (p.lengths) for (let j = 0; j < p.k; j++) need[j] = Math.ceil(need[j] * (1 + LENGTH_HEADROOM));
  const D = depCount(p);
  const byModel: number[][] = Array.from({ length: p.k }, () => []);
  for (let d = 0; d < D; d++) byModel[p.dep.model[d]].push(d);
  for (let j = 0; j < p.k; j++) {
    const deps = byModel[j];
    if (!deps.length) continue;
    let cap = deps.reduce((s, d) => s + p.dep.capUnit[d] * out[d], 0);
    // Dearest capacity first: hourly price per unit of capacity, then GPUs per unit.
    const dearness = (d: number) => [p.dep.hourly[d] / p.dep.capUnit[d], p.dep.gpus[d] / p.dep.capUnit[d]];
    deps.sort((a, b) => {
      const [ha, ga] = dearness(a);
      const [hb, gb] = dearness(b);
      return hb - ha || gb - ga;
    });
    for (const d of deps) {
      while (out[d] > 0 && cap - p.dep.capUnit[d] >= need[j] - 1e-9) {
        out[d]--;
        cap -= p.dep.capUnit[d];
      }
    }
  }
  return out;
}
