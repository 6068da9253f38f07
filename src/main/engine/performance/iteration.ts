import { archParams } from './catalog/params';
import { bytesPer, peakTflops } from './precision';
import { efficiencyOf } from './profiles';
import { kvBytesPerToken } from './memory';
import type { Deployment } from './types';

// The per-iteration cost of continuous batching (one forward pass over the running sequences'
// next tokens plus any prompt chunk), from the hardware:
//   memory  = (weights read + KV cache read) / (HBM bandwidth x memBw)
//             weights per GPU = weights / tp (pipeline stages read theirs once per micro-batch,
//             in parallel); an MoE reads each expert some token of the iteration routes to;
//   decode  = 2 x (matmul parameters) FLOPs per token + attention 4 x layers x heads x headDim x
//             context, at peak x compute over all GPUs;
//   time    = max(memory, decode compute)   (a decode step is memory- or compute-bound)
//           + prompt-chunk compute          (prefill is compute-bound: it adds, chunked or not)
//           + 2 all-reduces per layer (tp > 1): (tp-1) x latency + 2(tp-1)/tp x activations / link
//           + stepOverheadMs + layers x layerOverheadUs.
// The replay simulator calls decodeStepSeconds/prefillSeconds directly.

export interface CostModel {
  /**
   * Seconds of one iteration: `decodeSeqs` tokens decoded over `kvTokens` resident context, plus
   * `prefillTokens` prompt tokens that each attend to `prefillSpan` tokens on average (a chunk of
   * c tokens after p cached ones: p + c/2; a batch of whole prompts of length I: I/2).
   */
  step(decodeSeqs: number, kvTokens: number, prefillTokens: number, prefillSpan: number): number;
}

const cache = new WeakMap<Deployment, CostModel>();

export function costModel(d: Deployment): CostModel {
  const hit = cache.get(d);
  if (hit) return hit;
  const m = d.model;
  const f = efficiencyOf(d);
  const p = archParams(m);
  const pp = d.gpus / d.tp;
  const wBytes = bytesPer(d.weightPrecision);
  // Scale the architecture's breakdown to the stated parameter count (published counts include norms/biases).
  const scale = m.paramsB / p.totalB;
  const denseBytes = (p.totalB - p.expertsB) * scale * 1e9 * wBytes;
  const expertBytes = p.expertsB * scale * 1e9 * wBytes;
  const routedShare = m.experts && m.expertsPerToken ? m.expertsPerToken / m.experts : 1;
  const bw = d.gpu.hbmGBps * 1e9 * f.memBw;
  const flops = peakTflops(d.gpu, d.weightPrecision, d.emulatePrecision) * 1e12 * f.compute * d.gpus;
  const headParams = m.vocabSize * m.hiddenSize;
  // Matmul parameters per token, without the output head (counted per sampled token) or the input-embedding lookup.
  const bodyParams = (m.activeParamsB * 1e9) - headParams * (m.tiedEmbeddings ? 1 : 2);
  const attnPerCtx = 4 * m.layers * m.heads * m.headDim; // FLOPs per token per token of context
  const kvPerToken = kvBytesPerToken(d);
  const linkBw = d.gpu.interconnectGBps * 1e9 * f.tpComm;
  const arShare = d.tp > 1 ? (2 * (d.tp - 1)) / d.tp : 0;
  const actBytes = m.hiddenSize * 2; // activations all-reduced in 16-bit
  // A ring all-reduce takes 2(tp-1) hops; its latency grows with tp (allReduceLatencyUs per tp-1).
  const fixed = (f.stepOverheadMs + (m.layers * f.layerOverheadUs) / 1000) / 1000 + (2 * m.layers * f.allReduceLatencyUs * (d.tp - 1)) / 1e6;
  const model: CostModel = {
    step(decodeSeqs, kvTokens, prefillTokens, prefillSpan) {
      const tokens = decodeSeqs + prefillTokens;
      const touched = expertBytes > 0 ? 1 - Math.pow(1 - routedShare, Math.max(tokens, 1)) : 0;
      const memory = ((denseBytes + expertBytes * touched) / d.tp + (kvTokens * kvPerToken) / d.gpus) / bw;
      const decodeFlops = decodeSeqs > 0 ? 2 * (bodyParams + headParams) * decodeSeqs + attnPerCtx * kvTokens : 0;
      const prefillFlops = prefillTokens > 0 ? 2 * bodyParams * prefillTokens + attnPerCtx * prefillTokens * prefillSpan : 0;
      const comm = arShare > 0 ? (2 * m.layers * tokens * actBytes * arShare) / linkBw : 0;
      return Math.max(memory, decodeFlops / flops) + prefillFlops / flops + comm + fixed;
    },
  };
  cache.set(d, model);
  return model;
}

/** One decode iteration over `runningSeqs` sequences holding `kvTokensResident` tokens of context. */
export function decodeStepSeconds(d: Deployment, runningSeqs: number, kvTokensResident: number): number {
  return costModel(d).step(runningSeqs, kvTokensResident, 0, 0);
}

/** A prompt of `promptTokens` processed alone (one pass), after `contextTokensBefore` already cached. */
export function prefillSeconds(d: Deployment, promptTokens: number, contextTokensBefore = 0): number {
  return costModel(d).step(0, contextTokensBefore, promptTokens, contextTokensBefore + promptTokens / 2);
}

/** `prompts` prompts of `promptTokens` each, processed together in one pass. */
export function batchPrefillSeconds(d: Deployment, prompts: number, promptTokens: number): number {
  return costModel(d).step(0, 0, prompts * promptTokens, promptTokens / 2);
}
