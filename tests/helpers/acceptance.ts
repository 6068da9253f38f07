import { runEvaluation } from '../../src/main/engine/evaluation/protocol';
import { fitDefaultPredictor } from '../../src/main/engine/predictor/api';
import { probabilityMetrics } from '../../src/main/engine/calibration/metrics';
import type { Featurizer } from '../../src/main/engine/features/types';
import type { LabelMatrix } from '../../src/main/engine/data/matrix';
import { EvaluationSettings } from '../../src/shared/contract/routing';
import { readRouterbench, testFiles, trainFiles } from './routerbench';
import { cachedPrediction } from './prediction-cache';

export interface AcceptanceFigures {
  /** Per seed, on the test files. */
  metrics: { auc: number; ece: number }[];
  meanAuc: number;
  meanEce: number;
  /** The budgeted MIP's row at budget fraction f. */
  mip(f: 0.2 | 0.5): { accuracyVsBest: number; costFraction: number };
}

/**
 * The issues' acceptance protocol: RouterBench train files -> test files, seeds 1-5, a predictor of
 * `ensemble` members fitted per seed (on `featurizer`, default the built-in one), its macro AUC and
 * ECE, and the budgeted MIP on the whole test set as one batch at f = 0.2 and 0.5 (realised cost).
 * Prints the figures under `label`.
 */
export async function routerbenchAcceptance(label: string, ensemble: number, featurizer?: { name: string; fit: (train: LabelMatrix) => Featurizer }): Promise<AcceptanceFigures> {
  const train = readRouterbench(trainFiles);
  const test = readRouterbench(testFiles);
  const k = train.models.length;
  let fitted: Featurizer | undefined;
  const metrics: { auc: number; ece: number }[] = [];
  const settings = EvaluationSettings.parse({ strategies: ['mip'], budgetFractions: [0.2, 0.5], seeds: [1, 2, 3, 4, 5], batchSize: test.texts.length, includeSingles: false });
  const r = await runEvaluation(
    {
      train,
      test,
      predict: async (seed) => {
        // each fit once per code and data (tests/helpers/prediction-cache.ts); the featuriser is fitted only if a fit runs
        const p = await cachedPrediction({ fit: 'fitDefaultPredictor', seed, ensemble, featurizer: featurizer?.name ?? 'builtin' }, [...trainFiles, ...testFiles], async () => {
          if (featurizer) fitted ??= featurizer.fit(train);
          return (await (await fitDefaultPredictor(train, { seed, ensemble, featurizer: fitted })).predict(test.texts)).p;
        });
        metrics.push(probabilityMetrics(p, test.scores, test.texts.length, k));
        return { p: Float64Array.from(p) };
      },
    },
    settings,
  );
  const mean = (f: (x: (typeof metrics)[number]) => number) => metrics.reduce((s, x) => s + f(x), 0) / metrics.length;
  const mip = (f: number) => r.rows.find((x) => x.strategy === 'mip' && x.budgetFraction === f)!;
  const pct = (x: number, d: number) => (100 * x).toFixed(d);
  console.log(
    `${label}, 5 seeds: AUC ${mean((x) => x.auc).toFixed(4)} (${metrics.map((x) => x.auc.toFixed(4)).join(' ')}), ECE ${mean((x) => x.ece).toFixed(4)}; ` +
      `MIP vs best: f=0.2 ${pct(mip(0.2).accuracyVsBest, 2)}% (cost ${pct(mip(0.2).costFraction, 1)}%), f=0.5 ${pct(mip(0.5).accuracyVsBest, 2)}% (cost ${pct(mip(0.5).costFraction, 1)}%)`,
  );
  return { metrics, meanAuc: mean((x) => x.auc), meanEce: mean((x) => x.ece), mip };
}
