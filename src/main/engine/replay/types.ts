import type { JobContext } from '../jobs/context';

/**
 * One deployment's cost of an iteration, the same signatures as performance/iteration.ts with the
 * deployment bound in (the lead's adapter: `d => ({ decodeStepSeconds: (n, kv) =>
 * decodeStepSeconds(d, n, kv), prefillSeconds: (p, c) => prefillSeconds(d, p, c),
 * kvTokenCapacity: memoryPlan(d).kvTokenCapacity })`). Injected so the replay tests run on a
 * simple linear model.
 */
export interface ServiceModel {
  /** Seconds of one decode iteration with `runningSeqs` sequences holding `kvTokensResident` tokens. */
  decodeStepSeconds(runningSeqs: number, kvTokensResident: number): number;
  /** Seconds to prefill `promptTokens` more tokens of a prompt that already has `contextTokensBefore`. */
  prefillSeconds(promptTokens: number, contextTokensBefore?: number): number;
  /** KV-cache tokens one instance holds (memoryPlan(d).kvTokenCapacity). */
  kvTokenCapacity: number;
  /** The engine's cap on running sequences (vLLM max_num_seqs, default 256). */
  maxRunningSeqs?: number;
}

/** One request of the replayed trace, in time order. `model` (an index of the plan's models) skips the routing draw. */
export interface ReplayRequest {
  t: number;
  inputTokens: number;
  outputTokens: number;
  model?: number;
}

export interface ReplayOptions {
  /** Prompt tokens one iteration may prefill besides its decode step (chunked prefill). Default 2048 (vLLM's chunked-prefill default; TensorRT-LLM and SGLang use 8192). */
  prefillTokenBudget?: number;
  seed?: number;
  /** Requests waiting at one instance beyond this are dropped. Default: unbounded (they wait). */
  maxQueuePerInstance?: number;
  /** Requests served by an API model (routed or overflowed) count as within the SLO. Default true. */
  apiWithinSlo?: boolean;
  ctx?: JobContext;
}

// What a replay reports is part of the contract (plan.replay's output): one definition, there.
export type { ReplayInterval, ReplayReport } from '../../../shared/contract/planning-report';
