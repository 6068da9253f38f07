import { BuiltinFeaturizer } from './builtin';
import type { Featurizer, FeaturizerSpecJson } from './types';

/** Rebuilds a fitted featuriser from its JSON spec (stored predictors, exported policies). */
export async function featurizerFromSpec(spec: FeaturizerSpecJson): Promise<Featurizer> {
  switch (spec.kind) {
    case 'builtin-hash-tfidf':
      return BuiltinFeaturizer.fromSpec(spec);
    case 'onnx-encoder':
      return (await import('./onnx-encoder')).OnnxEncoderFeaturizer.fromSpec(spec);
    default:
      throw new Error(`unknown featuriser ${String(spec.kind)}`);
  }
}
