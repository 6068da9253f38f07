import type { EngineFailure } from './errors';

/** Progress of one long job. `fraction` in [0,1]; `etaMs` when it can be estimated. */
export interface JobProgress {
  jobId: string;
  method: string;
  stage: string;
  fraction: number;
  etaMs?: number;
  message?: string;
  metrics?: Record<string, number>;
}

export type JobEvent =
  | { type: 'started'; jobId: string; method: string }
  | ({ type: 'progress' } & JobProgress)
  | { type: 'done'; jobId: string; method: string; result: unknown }
  | { type: 'failed'; jobId: string; method: string; error: EngineFailure }
  | { type: 'cancelled'; jobId: string; method: string };

export interface JobInfo {
  jobId: string;
  method: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  startedAt: number;
  last?: JobProgress;
  result?: unknown;
  error?: EngineFailure;
}
