// The one entry point for a deployment's figures (perf estimate --workspace, the planner):
// measured where the workspace's measurements cover the operating point, else the estimator with
// the deployment's efficiency factors re-fitted to its measurements, else the plain estimate.
import { EngineError } from '../../../../shared/errors';
import type { Db } from '../../store/database';
import { listMeasurements, type StoredMeasurement } from '../../store/perf-measurements';
import { fitEfficiency } from '../calibrate';
import { estimate, goodput } from '../estimate';
import { efficiencyOf } from '../profiles';
import type { Deployment, EfficiencyFactors, Load, MeasuredPoint, PerfEstimate, Slo, Workload } from '../types';
import { measuredEstimate, type SourcedEstimate } from './measured-estimate';
import { near, SHAPE_TOLERANCE } from './contradictions';
import { goodputFromMeasurements } from './goodput';
import { deploymentKey } from './names';

/** The measured points of exactly this deployment (model, GPU, GPUs, TP, weight precision, engine). */
export function pointsFor(points: MeasuredPoint[], d: Deployment): MeasuredPoint[] {
  const key = deploymentKey({ model: d.model.name, gpu: d.gpu.name, gpus: d.gpus, tp: d.tp, precision: d.weightPrecision, engine: d.engine });
  return points.filter((p) => deploymentKey(p) === key);
}

// Re-fitting runs an optimiser over the estimator: once per deployment and set of points.
const fits = new Map<string, EfficiencyFactors>();
function fitted(points: MeasuredPoint[], d: Deployment): Deployment {
  const key = JSON.stringify([d, points]); // the figures themselves, not names: another workspace may reuse a file name
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
  // Otherwise the figures the points do not cover come from the model re-fitted to them ('fitted',
  // not 'estimated'); goodput from the measured rates where they bracket the SLO (goodput.ts).
  const refit = fitted(points, d);
  const m = measuredEstimate(points, refit, w, load, 'fitted') ?? { ...estimate(refit, w, load), source: 'fitted' as const, figureSources: {} };
  if (slo) {
    const at = (rate: number) => {
      try {
        return resolveFromPoints(points, d, w, { rate });
      } catch (err) {
        if (err instanceof EngineError) return null; // a rate the model refuses and no measurement covers
        throw err;
      }
    };
    const g = goodputFromMeasurements(points, w, slo, at, () => goodput(refit, w, slo));
    m.goodputRequestsPerS = g.requestsPerS;
    m.figureSources.goodputRequestsPerS = g.source;
  }
  return m;
}

/** The workspace's measurements of this deployment at this shape (lengths within 10%), for curves. */
export function measurementsAt(db: Db, d: Deployment, w: Workload): StoredMeasurement[] {
  const of = pointsFor(listMeasurements(db), d) as StoredMeasurement[];
  return of.filter((p) => near(p.inputTokens, w.inputTokens, SHAPE_TOLERANCE) && near(p.outputTokens, w.outputTokens, SHAPE_TOLERANCE));
}

export function resolvePerformance(db: Db, d: Deployment, w: Workload, load: Load, slo?: Slo): PerfEstimate | SourcedEstimate {
  return resolveFromPoints(listMeasurements(db), d, w, load, slo);
}
