// Procurement sweep: for 0..maxBuy GPUs of one type bought on top of the inventory, the best
// allocation (our decomposition, warm-started from the previous point) and its quality and cost.
import type { ExtendedForm, SweepPoint } from '../../../shared/contract/allocation';
import type { TaskContext } from '../jobs/tasks';
import { solveDecomposition } from './decompose';
import { instancesOut } from './solve';
import { releaseIdleInstances } from './trim';
import { evaluateWhatIf, prepareWhatIf, scaledProblem } from './whatif';
import type { DeploymentCount } from '../../../shared/contract/allocation';

export function procurementSweep(form: ExtendedForm, gpuType: string, maxBuy: number, steps: number, timeLimitMs: number, ctx?: TaskContext): SweepPoint[] {
  const wi = prepareWhatIf(form);
  const points: SweepPoint[] = [];
  let start: Float64Array | undefined;
  const perPoint = timeLimitMs / steps;
  for (let s = 0; s < steps; s++) {
    const bought = Math.round((maxBuy * s) / (steps - 1));
    const purchase = { [gpuType]: bought };
    const p = scaledProblem(wi, purchase);
    const sol = solveDecomposition(p, { start, timeLimitMs: perPoint, targetGap: 1e-3 });
    ctx?.progress('procurement sweep', (s + 1) / steps, { bought });
    if (sol.status === 'infeasible') {
      points.push({ bought, status: 'infeasible', binding: sol.binding, quality: null, hourlyCost: null, costPer1k: null, instances: [] });
      continue;
    }
    start = sol.instances;
    // The cost of a point is what the plan needs, not every GPU the purchase made available.
    const used = sol.assignment ? releaseIdleInstances(p, sol.instances, sol.assignment) : sol.instances;
    const m = evaluateWhatIf(wi, used, purchase);
    points.push({ bought, status: sol.status, quality: m.quality, hourlyCost: m.hourlyCost, costPer1k: m.costPer1k, instances: instancesOut(p, used) as DeploymentCount[] });
  }
  return points;
}

export function sweepTask(payload: { form: ExtendedForm; gpuType: string; maxBuy: number; steps: number; timeLimitMs: number }, ctx: TaskContext): SweepPoint[] {
  return procurementSweep(payload.form, payload.gpuType, payload.maxBuy, payload.steps, payload.timeLimitMs, ctx);
}
