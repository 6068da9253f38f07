import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import { solveBatch } from '../routing/solve';
import { solveWithChance } from '../routing/chance-solve';
import { instanceFromRows } from '../routing/instance';
import { EngineError } from '../../../shared/errors';
import { instanceFromInput, solutionToJson } from '../routing/from-json';
import { getEvaluation, listEvaluations } from '../store/evaluations';

type RoutingMethod = 'routing.solve' | 'evaluation.list' | 'evaluation.get';

export function routingHandlers(s: EngineServices): HandlerGroup<RoutingMethod> {
  return {
    'routing.solve': async (input, ctx) => {
      const inst = instanceFromInput(input.instance);
      const opts = { solver: input.solver, tolerance: input.tolerance, timeLimitMs: input.timeLimitS * 1000, worker: s.workerEntry, signal: ctx.signal };
      if (input.budgetConfidence == null) return solutionToJson(await solveBatch(inst, opts));
      if (!input.instance.costStd) throw new EngineError('INVALID_INPUT', 'budgetConfidence needs the standard deviation of each cost: give instance.costStd (N x K, or K per model)', { field: 'instance.costStd' });
      const sd = instanceFromRows(input.instance.quality, input.instance.costStd, inst.capacity, inst.budget).cost;
      const r = await solveWithChance(inst, sd.map((x) => x * x), input.budgetConfidence, opts);
      return { ...solutionToJson(r), riskAdjustedCost: Number.isFinite(r.riskAdjustedCost) ? r.riskAdjustedCost : null, budgetConfidence: r.budgetConfidence };
    },
    'evaluation.list': () => listEvaluations(s.db()),
    'evaluation.get': ({ id }) => getEvaluation(s.db(), id),
  };
}
