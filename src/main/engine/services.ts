import type { Db } from './store/database';
import type { JobContext } from './jobs/context';
import type { WorkerEntry, RunInWorkerOptions, WorkerSession } from './jobs/worker-pool';

/** What every handler may use: the open workspace, the clock, and worker threads. */
export interface EngineServices {
  db(): Db;
  workspacePath(): string;
  now(): Date;
  workerEntry: WorkerEntry;
  /** Runs a worker task tied to a job: its progress goes to the job, its cancellation terminates it. */
  inWorker<T>(task: string, payload: unknown, ctx: JobContext, opts?: Omit<RunInWorkerOptions, 'signal' | 'onProgress'> & { stage?: string; span?: [number, number] }): Promise<T>;
  /** A worker thread kept for a run of small tasks (the caller closes it). */
  workerSession(): WorkerSession;
}
