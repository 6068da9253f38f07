import { EngineError } from '../../../shared/errors';
import { bytesPer, checkPrecision } from './precision';
import { efficiencyOf, engineProfiles } from './profiles';
import type { Deployment, MemoryPlan, Workload } from './types';

// Memory feasibility of one instance: usable = GPUs x memory x memUtil; out of it come the
// weights (all experts of an MoE), a runtime overhead per GPU, and the KV cache, whose bytes per
// token follow from the architecture. Only tensor parallelism splits the KV heads; with fewer KV
// heads than tp, engines replicate them (each GPU holds at least one).

/** Context a sequence is planned for when the deployment does not say: 4,096 or the model's limit. */
export function plannedContext(d: Deployment): number {
  return d.contextTokens ?? Math.min(4096, d.model.maxContext ?? 4096);
}

export function checkShape(d: Deployment): void {
  const bad = (msg: string, field: string) => new EngineError('INVALID_INPUT', msg, { field });
  if (!Number.isInteger(d.gpus) || d.gpus < 1) throw bad(`GPUs per instance must be a positive whole number, not ${d.gpus}`, 'gpus');
  if (!Number.isInteger(d.tp) || d.tp < 1 || d.tp > d.gpus || d.gpus % d.tp !== 0) throw bad(`tensor-parallel degree ${d.tp} must divide the ${d.gpus} GPUs of an instance (pipeline stages = GPUs / tp)`, 'tp');
  if (d.model.heads % d.tp !== 0) throw bad(`${d.model.name} has ${d.model.heads} attention heads, which do not split over tp ${d.tp}`, 'tp');
  checkPrecision(d);
}

/** KV cache bytes one token occupies across the whole instance (K and V, every layer). */
export function kvBytesPerToken(d: Deployment): number {
  const m = d.model;
  return 2 * m.layers * Math.max(m.kvHeads, d.tp) * m.headDim * bytesPer(d.kvPrecision);
}

const gb = (x: number) => x.toFixed(1);

export function memoryPlan(d: Deployment): MemoryPlan {
  checkShape(d);
  const f = efficiencyOf(d);
  const weightsGb = d.model.paramsB * bytesPer(d.weightPrecision);
  const usableGb = d.gpus * d.gpu.memoryGb * f.memUtil;
  const overheadGb = d.gpus * f.runtimeOverheadGb;
  const kvCacheGb = usableGb - weightsGb - overheadGb;
  const perToken = kvBytesPerToken(d);
  const where = `${d.gpus}x${d.gpu.name} (${d.gpu.memoryGb} GB each x ${f.memUtil} usable)`;
  if (kvCacheGb <= 0) {
    throw new EngineError('INFEASIBLE', `${d.model.name} in ${d.weightPrecision} needs ${gb(weightsGb)} GB for weights + ${gb(overheadGb)} GB runtime overhead, ${gb(usableGb)} GB usable on ${where}: no room for a KV cache`, { weightsGb, overheadGb, usableGb, gpus: d.gpus, gpu: d.gpu.name });
  }
  const context = plannedContext(d);
  const oneSeqGb = (context * perToken) / 1e9;
  if (kvCacheGb < oneSeqGb) {
    throw new EngineError('INFEASIBLE', `${d.model.name} in ${d.weightPrecision} needs ${gb(weightsGb)} GB for weights + ${gb(overheadGb)} GB runtime overhead + ${oneSeqGb.toFixed(2)} GB of KV cache for one ${context}-token sequence, ${gb(usableGb)} GB usable on ${where}`, { weightsGb, overheadGb, usableGb, kvOneSequenceGb: oneSeqGb, context, gpus: d.gpus, gpu: d.gpu.name });
  }
  return { weightsGb, kvCacheGb, usableGb, overheadGb, kvBytesPerToken: perToken, kvTokenCapacity: Math.floor((kvCacheGb * 1e9) / perToken) };
}

/**
 * The most sequences of this workload the instance runs at once: the KV cache holds each one's
 * whole context (input + output, reserved up front as TensorRT-LLM does and vLLM needs to avoid
 * preemption), capped by the engine's batch limit.
 */
export function maxConcurrency(d: Deployment, w: Workload): number {
  const plan = memoryPlan(d);
  const perSeq = w.inputTokens + w.outputTokens;
  const byKv = Math.floor(plan.kvTokenCapacity / perSeq);
  if (byKv < 1) {
    throw new EngineError('INFEASIBLE', `one sequence of ${perSeq} tokens needs ${((perSeq * plan.kvBytesPerToken) / 1e9).toFixed(2)} GB of KV cache; ${d.gpus}x${d.gpu.name} has ${plan.kvCacheGb.toFixed(1)} GB for it`, { tokens: perSeq, kvCacheGb: plan.kvCacheGb });
  }
  return Math.min(byKv, engineProfiles[d.engine].maxSeqs);
}
