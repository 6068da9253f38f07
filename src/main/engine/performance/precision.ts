import { EngineError } from '../../../shared/errors';
import type { Deployment, GpuSpec, Precision } from './types';

/** Bytes per weight or KV element. INT4 (AWQ/GPTQ) ignores its group scales (~3%). */
export function bytesPer(p: Precision): number {
  return p === 'bf16' || p === 'fp16' ? 2 : p === 'int4' ? 0.5 : 1;
}

/** Dense tensor TFLOP/s the GPU reaches for matmuls at this weight precision. */
export function peakTflops(gpu: GpuSpec, p: Precision, emulate = false): number {
  if (p === 'fp8') {
    if (gpu.fp8Tflops != null) return gpu.fp8Tflops;
    if (emulate) return gpu.bf16Tflops; // weight-only FP8: stored in 8 bits, multiplied in 16
  }
  if (p === 'int8') {
    if (gpu.int8Tops != null) return gpu.int8Tops;
    if (emulate) return gpu.bf16Tflops;
  }
  return gpu.bf16Tflops; // bf16/fp16, and int4 weight-only kernels dequantise to 16-bit
}

/** Refuses a precision the GPU cannot run natively unless emulation is asked for explicitly. */
export function checkPrecision(d: Deployment): void {
  const lacks = (p: Precision) => (p === 'fp8' && d.gpu.fp8Tflops == null) || (p === 'int8' && d.gpu.int8Tops == null);
  for (const [what, p] of [['weights', d.weightPrecision], ['KV cache', d.kvPrecision]] as const) {
    if (lacks(p) && !d.emulatePrecision) {
      throw new EngineError('INVALID_INPUT', `${d.gpu.name} has no ${p.toUpperCase()} tensor cores: ${what} in ${p} would be emulated (stored in 8 bits, computed in 16); choose bf16/fp16${p === 'fp8' ? ' or int8' : ''}, or ask for emulation explicitly (--emulate-precision)`, { gpu: d.gpu.name, precision: p, field: what === 'weights' ? 'precision' : 'kvPrecision' });
    }
  }
  if (d.kvPrecision === 'int4') throw new EngineError('INVALID_INPUT', 'a 4-bit KV cache is not supported by vLLM or TensorRT-LLM: choose fp16/bf16, fp8 or int8', { field: 'kvPrecision' });
}
