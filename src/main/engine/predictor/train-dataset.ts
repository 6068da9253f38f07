import type { PredictorMetrics } from '../../../shared/contract/predictor';
import { selectRows, type LabelMatrix } from '../data/matrix';
import type { JobContext } from '../jobs/context';
import type { Featurizer } from '../features/types';
import { fitPredictor, type FitPredictorOptions } from './fit';
import { evaluateOnTest } from './evaluate';
import { splitRows, type Split } from './splits';
import type { PredictorSpec } from './router-predictor';

export interface DatasetTraining {
  spec: PredictorSpec;
  split: Split;
  metrics: PredictorMetrics;
}

/**
 * The app's protocol: split the dataset 70/10/20 by seed (recorded), fit on the 70 with early
 * stopping and calibration on the 10, report before/after quality on the 20. Pure: the caller
 * reads the matrix and writes the result (in one transaction).
 */
export async function trainOnDataset(
  data: LabelMatrix,
  opts: Omit<FitPredictorOptions, 'calRows' | 'featurizer'> & { featurizer?: (texts: string[]) => Promise<Featurizer> },
  ctx: JobContext,
): Promise<DatasetTraining> {
  const split = splitRows(data.texts.length, opts.seed);
  const fitRows = [...split.train, ...split.calibration];
  const fitData = selectRows(data, fitRows);
  const calRows = split.calibration.map((_, i) => split.train.length + i);
  const featurizer = opts.featurizer ? await opts.featurizer(fitData.texts) : undefined;
  const outcome = await fitPredictor(fitData, { ...opts, featurizer, calRows }, ctx);
  ctx.progress({ stage: 'evaluate', fraction: 0.97 });
  const t0 = performance.now();
  const test = selectRows(data, split.test);
  const x = await outcome.predictor.featurizer.transform(test.texts);
  const evaluation = evaluateOnTest(outcome.predictor, x, test.scores);
  const metrics: PredictorMetrics = {
    split: { seed: split.seed, train: split.train.length, calibration: split.calibration.length, test: split.test.length },
    ...evaluation,
    history: (outcome.history[0] ?? []).map(({ epoch, loss, valLoss, valAuc }) => ({ epoch, loss, valLoss, valAuc })),
    timings: { ...outcome.timings, evaluateMs: performance.now() - t0 },
  };
  return { spec: outcome.predictor.spec(), split, metrics };
}
