// Procurement sweep: for 0..maxBuy GPUs of one type bought on top of the inventory, the best
// allocation (reduced-dual LP start + our decomposition, or the previous point's counts without
// HiGHS) and its quality and cost.
import type { ExtendedForm, SweepPoint } from '../../../shared/contract/allocation';
import type { TaskContext } from '../jobs/tasks';
import highsLoader from 'highs';
import { solveDecomposition } from './decompose';
import { reducedDual } from './reduced-dual';
import { instancesOut } from './solve';
import { releaseIdleInstances } from './trim';
import { polishPlan } from './polish';
import { evaluateWhatIf, prepareWhatIf, scaledProblem } from './whatif';
import type { DeploymentCount } from '../../../shared/contract/allocation';

type Highs = Awaited<ReturnType<typeof highsLoader>>;

export function procurementSweep(form: ExtendedForm, gpuType: string, maxBuy: number, steps: number, timeLimitMs: number, ctx?: TaskContext, highs?: Highs): SweepPoint[] {
  const wi = prepareWhatIf(form);
  const points: SweepPoint[] = [];
  let start: Float64Array | undefined;
  let previous: Float64Array | undefined;
  let lambda: number | undefined;
  const perPoint = timeLimitMs / steps;
  for (let s = 0; s < steps; s++) {
    const bought = Math.round((maxBuy * s) / (steps - 1));
    const purchase = { [gpuType]: bought };
    const p = scaledProblem(wi, purchase);
    // Each point's LP relaxation through the reduced dual (ms) is a better start than the previous
    // point's counts alone; the previous counts still start the search when it is unavailable.
    const r = highs ? reducedDual(p, highs, { budgetMs: Math.min(1_000, perPoint / 4), lambda0: lambda }) : null;
    const sol = solveDecomposition(p, r ? { lp: { instances: r.instances, bound: r.bound, lambda: r.lambda }, timeLimitMs: perPoint, targetGap: 1e-3 } : { start, timeLimitMs: perPoint, targetGap: 1e-3 });
    if (r) lambda = r.lambda;
    ctx?.progress('procurement sweep', (s + 1) / steps, { bought });
    if (sol.status === 'infeasible') {
      points.push({ bought, status: 'infeasible', binding: sol.binding, quality: null, gap: null, hourlyCost: null, costPer1k: null, instances: [] });
      continue;
    }
    start = sol.instances;
    // The point's plan is the best of the solver's and the previous point's (still feasible with
    // more GPUs, so the curve never falls), polished so that it keeps no idle instance and no
    // single move beats it; the cost is what the plan needs, not every GPU bought.
    const polished = polishPlan(p, [{ label: 'solver', instances: sol.instances }, ...(previous ? [{ label: 'previous point', instances: previous }] : [])], { timeLimitMs: Math.max(200, perPoint / 2) });
    const used = polished?.instances ?? (sol.assignment ? releaseIdleInstances(p, sol.instances, sol.assignment) : sol.instances);
    previous = used;
    const m = evaluateWhatIf(wi, used, purchase);
    const gap = m.quality != null && Number.isFinite(sol.bound) ? Math.max(0, (sol.bound - m.quality) / Math.max(Math.abs(sol.bound), 1e-12)) : null;
    points.push({ bought, status: sol.status, quality: m.quality, gap, hourlyCost: m.hourlyCost, costPer1k: m.costPer1k, instances: instancesOut(p, used) as DeploymentCount[] });
  }
  return points;
}

export async function sweepTask(payload: { form: ExtendedForm; gpuType: string; maxBuy: number; steps: number; timeLimitMs: number }, ctx: TaskContext): Promise<SweepPoint[]> {
  return procurementSweep(payload.form, payload.gpuType, payload.maxBuy, payload.steps, payload.timeLimitMs, ctx, await highsLoader());
}
