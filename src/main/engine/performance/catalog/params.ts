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
  const mlpOne = (m.mlpMatrices ?? 3) * h * m.intermediateSize;
  const experts = m.experts ?? 1;
  const perToken = m.expertsPerToken ?? 1;
  const router = m.experts ? h * m.experts : 0;
  const embeddingB = (m.vocabSize * h * (m.tiedEmbeddings ? 1 : 2)) / 1e9;
  const layerTotal = attn + mlpOne * experts + router;
  const layerActive = attn + mlpOne * perToken + router;
  return {
    totalB: (m.layers * layerTotal) / 1e9 + embeddingB,
    activeB: (m.layers * layerActive) / 1e9 + embeddingB,
    expertsB: m.experts ? (m.layers * mlpOne * experts) / 1e9 : 0,
    embeddingB,
  };
}
