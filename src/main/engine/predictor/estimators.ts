import { z } from 'zod';
import type { Estimator, EstimatorJson } from './estimator';
import { MlpHead } from './mlp';
import { KnnEstimator } from './knn';
import { LogisticRegressions } from './logreg';

/** Which estimator to fit, with its settings (JSON: it crosses worker and contract boundaries). */
export const EstimatorChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mlp'), hidden: z.number().int().positive().optional(), lr: z.number().positive().optional(), l2: z.number().nonnegative().optional(), maxEpochs: z.number().int().positive().optional(), patience: z.number().int().positive().optional(), batchSize: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('knn'), k: z.number().int().positive().default(40) }),
  z.object({ kind: z.literal('logreg'), l2: z.number().nonnegative().optional(), lr: z.number().positive().optional() }),
]);
export type EstimatorChoice = z.infer<typeof EstimatorChoice>;

export function createEstimator(choice: EstimatorChoice, seed: number): Estimator {
  switch (choice.kind) {
    case 'mlp': {
      const { kind: _kind, ...settings } = choice;
      return new MlpHead({ ...stripUndefined(settings), seed });
    }
    case 'knn':
      return new KnnEstimator({ k: choice.k ?? 40 });
    case 'logreg': {
      const { kind: _kind, ...settings } = choice;
      return new LogisticRegressions({ ...stripUndefined(settings), seed });
    }
  }
}

export function loadEstimator(json: EstimatorJson): Estimator {
  switch (json.kind) {
    case 'mlp-head':
      return MlpHead.load(json);
    case 'knn':
      return KnnEstimator.load(json);
    case 'logreg':
      return LogisticRegressions.load(json);
    default:
      throw new Error(`unknown estimator state ${String(json.kind)}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
