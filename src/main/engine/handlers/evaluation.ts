import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import { evaluateFiles, evaluateStored } from '../evaluation/run';

export function evaluationHandlers(s: EngineServices): HandlerGroup<'evaluation.run' | 'evaluation.quick'> {
  return {
    'evaluation.run': (input, ctx) => evaluateStored(s.db(), input, ctx, s.now()),
    'evaluation.quick': (input, ctx) => evaluateFiles(s.db(), input, ctx, s.now()),
  };
}
