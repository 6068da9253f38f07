import { modelArch, gpuSpec } from './catalog/lookup';
import { bytesPer, peakTflops } from './precision';
import type { GpuSpec, ModelArch, Precision } from './types';

// The physics check for typed-in deployment profiles (the catalog's decode/prefill tok/s):
// - decode: every step reads each GPU's share of the active weights once, and a slot gets one
//   token per step, so decode tok/s per slot x weight bytes per GPU cannot exceed that GPU's
//   memory bandwidth;
// - prefill: 2 x active parameters FLOPs per prompt token; the instance's prompt tokens/s (per
//   slot x slots, as the 3-number capacity model sums them) cannot exceed its GPUs' peak.
// Findings carry the share of the limit (> 1 = impossible); the caller decides to refuse or warn.

export interface TypedProfile {
  model: string | ModelArch;
  gpu: string | GpuSpec;
  gpusPerInstance: number;
  slotsPerInstance: number;
  decodeTokensPerS: number;
  prefillTokensPerS: number | null;
  precision?: Precision;
}

export interface ProfileFinding {
  kind: 'decode-bandwidth' | 'prefill-compute';
  /** Required / available: above 1 breaks physics. */
  share: number;
  message: string;
}

export function checkTypedProfile(p: TypedProfile): ProfileFinding[] {
  const m = typeof p.model === 'string' ? modelArch(p.model) : p.model;
  const g = typeof p.gpu === 'string' ? gpuSpec(p.gpu) : p.gpu;
  const prec = p.precision ?? 'bf16';
  const out: ProfileFinding[] = [];
  const weightGbPerGpu = (m.activeParamsB * bytesPer(prec)) / p.gpusPerInstance;
  const needGBps = p.decodeTokensPerS * weightGbPerGpu;
  const bw = needGBps / g.hbmGBps;
  if (bw > 1) {
    out.push({ kind: 'decode-bandwidth', share: bw, message: `${m.name} on ${p.gpusPerInstance}x${g.name}: ${p.decodeTokensPerS} decode tok/s per slot reads ${weightGbPerGpu.toFixed(1)} GB of weights per GPU per step = ${needGBps.toFixed(0)} GB/s, ${(100 * bw).toFixed(0)}% of the card's ${g.hbmGBps} GB/s` });
  }
  if (p.prefillTokensPerS) {
    const tokens = p.prefillTokensPerS * p.slotsPerInstance;
    const needTflops = (tokens * 2 * m.activeParamsB * 1e9) / 1e12;
    const peak = peakTflops(g, prec, true) * p.gpusPerInstance;
    const c = needTflops / peak;
    if (c > 1) {
      out.push({ kind: 'prefill-compute', share: c, message: `${m.name} on ${p.gpusPerInstance}x${g.name}: ${p.prefillTokensPerS} prompt tok/s per slot x ${p.slotsPerInstance} slots needs ${needTflops.toFixed(0)} TFLOP/s, ${(100 * c).toFixed(0)}% of the instance's ${peak.toFixed(0)} dense TFLOP/s` });
    }
  }
  return out;
}
