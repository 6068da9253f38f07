// The one entry point for a deployment's figures (perf estimate --workspace, the planner):
// measured where the workspace's measurements cover the operating point, else the estimator with
// the deployment's efficiency factors re-fitted to its measurements, else the plain estimate.
import type { Db } from '../../store/database';
import { listMeasurements } from '../../store/perf-measurements';
import { fitEfficiency } from '../calibrate';
import { gpuSpec, modelArch } from '../catalog/lookup';
import { estimate, goodput } from '../estimate';
import { efficiencyOf } from '../profiles';
import type { Deployment, EfficiencyFactors, Load, MeasuredPoint, PerfEstimate, Slo, Workload } from '../types';
import { measuredEstimate, type SourcedEstimate } from './measured-estimate';
import { nameKey } from './names';

/** A stored name as the catalog spells it (so "H100-80GB" and "H100 SXM" match), else as given. */
function canonical(name: string, lookup: (n: string) => { name: string }): string {
  try {
    return nameKey(lookup(name).name);
  } catch {
    return nameKey(name);
  }
}

/** The measured points of exactly this deployment (model, GPU, GPUs, TP, weight precision, engine). */
export function pointsFor(points: MeasuredPoint[], d: Deployment): MeasuredPoint[] {
  const model = nameKey(d.model.name);
  const gpu = nameKey(d.gpu.name);
  return points.filter(
    (p) => p.gpus === d.gpus && p.tp === d.tp && p.precision === d.weightPrecision && p.engine === d.engine && (nameKey(p.model) === model || canonical(p.model, modelArch) === model) && (nameKey(p.gpu) === gpu || canonical(p.gpu, gpuSpec) === gpu),
  );
}

// Re-fitting runs an optimiser over the estimator: once per deployment and set of points.
const fits = new Map<string, EfficiencyFactors>();
function fitted(points: MeasuredPoint[], d: Deployment): Deployment {
  const key = JSON.stringify([d.model.name, d.gpu.name, d.gpus, d.tp, d.weightPrecision, d.kvPrecision, d.engine, d.efficiency, points.map((p) => p.source)]);
  let f = fits.get(key);
  if (!f) {
    f = fitEfficiency(points, efficiencyOf(d), d);
    if (fits.size > 200) fits.clear();
    fits.set(key, f);
  }
  return { ...d, efficiency: f };
}

/** measured > fitted > estimated, from the given points (resolvePerformance reads them from the workspace). */
export function resolveFromPoints(all: MeasuredPoint[], d: Deployment, w: Workload, load: Load, slo?: Slo): PerfEstimate | SourcedEstimate {
  const points = pointsFor(all, d);
  if (!points.length) return estimate(d, w, load, slo);
  // Covered throughout: the measurements anchored on the deployment as given, no fit needed.
  const direct = measuredEstimate(points, d, w, load);
  if (direct && !slo && !Object.values(direct.figureSources).includes('estimated')) return direct;
  // Otherwise the figures the points do not cover (and goodput, which needs the latency curve
  // beyond the measured loads) come from the model re-fitted to them: 'fitted', not 'estimated'.
  const refit = fitted(points, d);
  const m = measuredEstimate(points, refit, w, load, 'fitted');
  if (m) {
    if (slo) {
      m.goodputRequestsPerS = goodput(refit, w, slo);
      m.figureSources.goodputRequestsPerS = 'fitted';
    }
    return m;
  }
  return { ...estimate(refit, w, load, slo), source: 'fitted' };
}

export function resolvePerformance(db: Db, d: Deployment, w: Workload, load: Load, slo?: Slo): PerfEstimate | SourcedEstimate {
  return resolveFromPoints(listMeasurements(db), d, w, load, slo);
}
