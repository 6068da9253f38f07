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
