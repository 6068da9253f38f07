import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import { evaluateFiles, evaluateStored, type EncodeRunner, type SweepRunner } from '../evaluation/run';
import { warmSentenceEncoder } from '../features/encoder-pool';
import { workerParquetDecoder } from './parquet-decoder';

export function evaluationHandlers(s: EngineServices): HandlerGroup<'evaluation.run' | 'evaluation.quick'> {
  // Prediction (or fitting) and the sweep run in a worker: the main thread keeps answering calls.
  const sweep: SweepRunner = (payload, ctx) => s.inWorker('evaluation.sweep', payload, ctx);
  const encode: EncodeRunner = async (texts, ctx) => (await (await warmSentenceEncoder(s, texts, ctx)).transform(texts)).data;
  return {
    'evaluation.run': (input, ctx) => evaluateStored(s.db(), input, ctx, s.now(), sweep),
    'evaluation.quick': async (input, ctx) => {
      const decoder = workerParquetDecoder(s, ctx);
      try {
        return await evaluateFiles(s.db(), { ...input, parquetDecoder: decoder.decode }, ctx, s.now(), sweep, encode);
      } finally {
        decoder.close();
      }
    },
  };
}
