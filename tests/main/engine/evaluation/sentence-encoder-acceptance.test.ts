import { describe, expect, it } from 'vitest';
import { runEvaluation } from '../../../../src/main/engine/evaluation/protocol';
import { fitDefaultPredictor } from '../../../../src/main/engine/predictor/api';
import { probabilityMetrics } from '../../../../src/main/engine/calibration/metrics';
import { SentenceEncoderFeaturizer } from '../../../../src/main/engine/features/sentence-encoder';
import { TrainInput } from '../../../../src/shared/contract/predictor';
import { EvaluationSettings } from '../../../../src/shared/contract/routing';
import { readRouterbench, testFiles, trainFiles } from '../../../helpers/routerbench';
import { memoisedEncoder } from '../../../helpers/encoder';

/**
 * Issues 3 and 4 on the bundled sentence encoder (`routeplan train --featurizer use`): the app's
 * default ensemble (20 members) on Universal Sentence Encoder lite embeddings of each prompt's last
 * 250 characters, RouterBench train files -> test files, 5 seeds. Each text is encoded once and
 * reused across seeds (encoding is deterministic; a unit test checks that).
 */
describe('acceptance: the sentence-encoder predictor on RouterBench', () => {
  it('reaches macro AUC >= 0.66 with ECE <= 0.03, and the MIP holds its measured shares (mean of 5 seeds)', async () => {
    const train = readRouterbench(trainFiles);
    const test = readRouterbench(testFiles);
    const k = train.models.length;
    const ensemble = TrainInput.parse({ dataset: 'routerbench' }).ensemble as number;
    const featurizer = SentenceEncoderFeaturizer.open({ encode: memoisedEncoder() });
    const metrics: { auc: number; ece: number }[] = [];
    const settings = EvaluationSettings.parse({ strategies: ['mip'], budgetFractions: [0.2, 0.5], seeds: [1, 2, 3, 4, 5], batchSize: test.texts.length, includeSingles: false });
    const r = await runEvaluation(
      {
        train,
        test,
        predict: async (seed) => {
          const predictor = await fitDefaultPredictor(train, { seed, ensemble, featurizer });
          const m = await predictor.predict(test.texts);
          metrics.push(probabilityMetrics(m.p, test.scores, test.texts.length, k));
          return { p: Float64Array.from(m.p) };
        },
      },
      settings,
    );
    const mean = (f: (x: (typeof metrics)[number]) => number) => metrics.reduce((s, x) => s + f(x), 0) / metrics.length;
    const at = (f: number) => r.rows.find((x) => x.strategy === 'mip' && x.budgetFraction === f)!;
    console.log(
      `sentence encoder, ${ensemble} members, 5 seeds: AUC ${mean((x) => x.auc).toFixed(4)} (${metrics.map((x) => x.auc.toFixed(4)).join(' ')}), ECE ${mean((x) => x.ece).toFixed(4)}; ` +
        `MIP vs best: f=0.2 ${(100 * at(0.2).accuracyVsBest).toFixed(2)}% (cost ${(100 * at(0.2).costFraction).toFixed(1)}%), f=0.5 ${(100 * at(0.5).accuracyVsBest).toFixed(2)}% (cost ${(100 * at(0.5).costFraction).toFixed(1)}%)`,
    );
    expect(metrics).toHaveLength(5);
    expect(mean((x) => x.auc)).toBeGreaterThanOrEqual(0.66);
    expect(mean((x) => x.ece)).toBeLessThanOrEqual(0.03);
    expect(at(0.2).costFraction).toBeLessThanOrEqual(0.21);
    expect(at(0.5).costFraction).toBeLessThanOrEqual(0.51);
  }, 900_000);
});
