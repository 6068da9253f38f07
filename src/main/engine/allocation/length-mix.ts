// Capacity by query length. A self-hosted model's capacity row counts queries, Σ_i x[i][k] <=
// Σ_d u[d] I[d]; with lengths, a query of bucket b uses 1 / g[d][b] instance-seconds of option d,
// where g[d][b] is the option's goodput at the bucket's representative lengths. Weighting each
// query in the row would turn the routers' transportation problems (price auction, solveFast) into
// generalised assignment problems, so the rows keep unit weights and their right-hand sides move
// instead: each option's per-query capacity is the harmonic mix of its per-bucket goodputs over the
// queries the routing sends to its model, n_k / Σ_{i→k} 1/g[d][b(i,k)]. At a routing whose mix
// gives the capacities it was routed under, the unit row and the weighted row are the same row.
//
// This file holds the arithmetic; mix-router.ts the routing at fixed counts that reaches such a mix.
import type { AllocProblem } from './problem';

export interface LengthBuckets {
  /** Number of buckets. */
  B: number;
  /** n*k: query i's bucket when routed to model k. */
  bucketOf: Uint8Array;
  /** D*B: requests/s of one instance of option d on bucket b. */
  depQps: Float64Array;
  /** D: factor from q/s to planned q/s (1 for goodput at the SLO, ρ for typed profiles). */
  depScale: Float64Array;
}

/** Bucket counts per model (k*B) of an assignment; null = every query counted for every model. */
export function bucketCounts(p: AllocProblem, assignment: ArrayLike<number> | null): Float64Array {
  const L = p.lengths!;
  const out = new Float64Array(p.k * L.B);
  for (let i = 0; i < p.n; i++) {
    if (assignment) {
      const j = assignment[i];
      out[j * L.B + L.bucketOf[i * p.k + j]]++;
    } else for (let j = 0; j < p.k; j++) out[j * L.B + L.bucketOf[i * p.k + j]]++;
  }
  return out;
}

/** Requests/s of one instance of each option at a mix of bucket counts per model (harmonic). */
export function qpsAtMix(p: AllocProblem, counts: Float64Array, reference: Float64Array = bucketCounts(p, null)): Float64Array {
  const L = p.lengths!;
  const D = p.dep.model.length;
  const out = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    const j = p.dep.model[d];
    // A model the routing leaves idle is valued at the whole sample's mix.
    let total = 0;
    for (let b = 0; b < L.B; b++) total += counts[j * L.B + b];
    const c = total > 0 ? counts : reference;
    let n = 0;
    let seconds = 0;
    for (let b = 0; b < L.B; b++) {
      const m = c[j * L.B + b];
      if (m > 0) (n += m), (seconds += m / L.depQps[d * L.B + b]);
    }
    out[d] = n > 0 ? n / seconds : L.depQps[d * L.B];
  }
  return out;
}

/** The problem with each option's capacity at the given per-instance q/s (capUnit and qps). */
export function withQps(p: AllocProblem, qps: Float64Array): AllocProblem {
  const L = p.lengths!;
  const capUnit = new Float64Array(qps.length);
  for (let d = 0; d < qps.length; d++) capUnit[d] = (p.n * L.depScale[d] * qps[d]) / p.trafficQps!;
  return { ...p, dep: { ...p.dep, capUnit, qps: Float64Array.from(qps) } };
}

/** The problem at the routed mix of an assignment (null: the whole sample's mix). */
export function atMix(p: AllocProblem, assignment: ArrayLike<number> | null): AllocProblem {
  if (!p.lengths) return p;
  return withQps(p, qpsAtMix(p, bucketCounts(p, assignment)));
}
