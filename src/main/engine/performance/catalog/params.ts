import type { ModelArch } from '../types';

export interface ParamBreakdown {
  /** Everything held in memory, billions. */
  totalB: number;
  /** Read or multiplied per token (one token touches expertsPerToken experts), billions. */
  activeB: number;
  /** The MLP experts of all layers together (MoE only; 0 for dense), billions. */
  expertsB: number;
  /** Input embedding + output head, billions (read per token only by the head's row of output). */
  embeddingB: number;
}

/**
 * Parameter count implied by the architecture: attention (q, k, v, o), the MLP (gated = 3
 * matrices, plain = 2; times the experts for MoE, plus the router), embeddings (once when tied).
 * Norms and biases are ignored (< 0.1%).
 */
export function archParams(m: ModelArch): ParamBreakdown {
  const h = m.hiddenSize;
  const attn = h * m.heads * m.headDim * 2 + h * m.kvHeads * m.headDim * 2;
  const mats = m.mlpMatrices ?? 3;
  const dense = mats * h * m.intermediateSize;
  const embeddingB = (m.vocabSize * h * (m.tiedEmbeddings ? 1 : 2)) / 1e9;
  if (!m.experts) {
    const layer = attn + dense;
    return { totalB: (m.layers * layer) / 1e9 + embeddingB, activeB: (m.layers * layer) / 1e9 + embeddingB, expertsB: 0, embeddingB };
  }
  // MoE layers: routed experts (each of expertIntermediateSize, default intermediateSize), the
  // router, and shared experts every token passes through; the first denseLayers keep a dense MLP.
  const expertOne = mats * h * (m.expertIntermediateSize ?? m.intermediateSize);
  const shared = mats * h * (m.sharedExpertIntermediateSize ?? 0);
  const router = h * m.experts;
  const moeLayers = m.layers - (m.denseLayers ?? 0);
  const denseLayers = m.denseLayers ?? 0;
  const total = denseLayers * (attn + dense) + moeLayers * (attn + shared + router + expertOne * m.experts);
  const active = denseLayers * (attn + dense) + moeLayers * (attn + shared + router + expertOne * (m.expertsPerToken ?? 1));
  return { totalB: total / 1e9 + embeddingB, activeB: active / 1e9 + embeddingB, expertsB: (moeLayers * expertOne * m.experts) / 1e9, embeddingB };
}
