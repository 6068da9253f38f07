import { EngineError } from '../../../shared/errors';

export interface ProgressUpdate {
  stage: string;
  fraction: number;
  message?: string;
  metrics?: Record<string, number>;
}

/** What a handler gets for long work: a progress sink and a cancel signal. */
export interface JobContext {
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
  /** Throws CANCELLED if the job was cancelled; call between units of work. */
  check(): void;
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new EngineError('CANCELLED', 'the job was cancelled');
}

/** A context for synchronous calls and tests: never cancelled, progress dropped or logged. */
export function quietContext(onProgress?: (u: ProgressUpdate) => void, signal: AbortSignal = new AbortController().signal): JobContext {
  return { signal, progress: (u) => onProgress?.(u), check: () => throwIfAborted(signal) };
}

/** The same job seen by one of its stages: that stage's 0..1 progress fills [from, to] of the job's. */
export function withinSpan(ctx: JobContext, [from, to]: [number, number]): JobContext {
  return { signal: ctx.signal, check: () => ctx.check(), progress: (u) => ctx.progress({ ...u, fraction: from + (to - from) * Math.min(1, Math.max(0, u.fraction)) }) };
}

/** What a worker task gets: progress posted to the engine thread (cancellation terminates the thread). */
export interface TaskContext {
  progress(stage: string, fraction: number, metrics?: Record<string, number>, message?: string): void;
}

/**
 * A worker task's context seen as a JobContext, for code shared with the engine thread: progress
 * goes through the task's channel; check() never throws, since cancelling terminates the worker.
 */
export function taskJobContext(task: TaskContext): JobContext {
  return quietContext((u) => task.progress(u.stage, u.fraction, u.metrics, u.message));
}
