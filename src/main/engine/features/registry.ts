import { BuiltinFeaturizer } from './builtin';
import type { Featurizer, FeaturizerSpecJson } from './types';
import type { EncodeTexts } from './sentence-encoder';

export interface FeaturizerEnv {
  /** Wraps the sentence encoder, e.g. with the workspace's feature cache (features/cache.ts). */
  wrapEncoder?: (encoder: Featurizer) => Featurizer;
  /** Runs the bundled sentence encoder (e.g. in a worker thread); default: this thread. */
  encode?: EncodeTexts;
}

/** Rebuilds a fitted featuriser from its JSON spec (stored predictors, exported policies). */
export async function featurizerFromSpec(spec: FeaturizerSpecJson, env: FeaturizerEnv = {}): Promise<Featurizer> {
  const wrap = env.wrapEncoder ?? ((f: Featurizer) => f);
  switch (spec.kind) {
    case 'builtin-hash-tfidf':
      return BuiltinFeaturizer.fromSpec(spec);
    case 'hybrid': {
      const { HybridFeaturizer } = await import('./hybrid');
      return HybridFeaturizer.fromSpec(spec, wrap, env.encode);
    }
    case 'use-lite':
      return wrap((await import('./sentence-encoder')).SentenceEncoderFeaturizer.fromSpec(spec, env.encode));
    case 'onnx-encoder':
      return wrap(await (await import('./onnx-encoder')).OnnxEncoderFeaturizer.fromSpec(spec));
    default:
      throw new Error(`unknown featuriser ${String(spec.kind)}`);
  }
}
