import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import { solveBatch } from '../routing/solve';
import { instanceFromInput, solutionToJson } from '../routing/from-json';
import { getEvaluation, listEvaluations } from '../store/evaluations';

type RoutingMethod = 'routing.solve' | 'evaluation.list' | 'evaluation.get';

export function routingHandlers(s: EngineServices): HandlerGroup<RoutingMethod> {
  return {
    'routing.solve': async (input, ctx) => {
      const inst = instanceFromInput(input.instance);
      const solution = await solveBatch(inst, { solver: input.solver, tolerance: input.tolerance, timeLimitMs: input.timeLimitS * 1000, worker: s.workerEntry, signal: ctx.signal });
      return solutionToJson(solution);
    },
    'evaluation.list': () => listEvaluations(s.db()),
    'evaluation.get': ({ id }) => getEvaluation(s.db(), id),
  };
}
