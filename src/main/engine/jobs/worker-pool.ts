import { Worker } from 'node:worker_threads';
import { EngineError, fromFailure, type EngineFailure } from '../../../shared/errors';

/** Where the worker entry lives: the built worker.js, or worker.ts run through tsx in dev/tests. */
export interface WorkerEntry {
  url: URL;
  execArgv?: string[];
}

export interface RunInWorkerOptions {
  signal?: AbortSignal;
  onProgress?: (stage: string, fraction: number, metrics?: Record<string, number>, message?: string) => void;
  /** Hard limit: the worker is terminated, whatever it is doing (HiGHS ignores its own limit in presolve). */
  timeoutMs?: number;
  transfer?: ArrayBuffer[];
}

/** A worker thread kept for a run of tasks, so that its start-up is paid once, not per task. */
export interface WorkerSession {
  /** Runs a task after those already asked for; cancellation and time limits terminate the thread (the next task starts a new one). */
  run<T>(task: string, payload: unknown, opts?: RunInWorkerOptions): Promise<T>;
  close(): void;
}

type WorkerMessage = { type: string; stage?: string; fraction?: number; metrics?: Record<string, number>; message?: string; result?: unknown; error?: EngineFailure };

export function openWorkerSession(entry: WorkerEntry): WorkerSession {
  let worker: Worker | null = null;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  const kill = (w: Worker) => {
    if (worker === w) worker = null;
    void w.terminate();
  };
  const spawn = () => {
    const w = new Worker(entry.url, { execArgv: entry.execArgv ?? [] });
    // A thread that dies between tasks must not throw in the host; the next task starts another.
    w.on('error', () => {});
    w.on('exit', () => {
      if (worker === w) worker = null;
    });
    return w;
  };
  function runOne<T>(task: string, payload: unknown, opts: RunInWorkerOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (closed) return reject(new EngineError('CANCELLED', 'the worker session was closed'));
      if (opts.signal?.aborted) return reject(new EngineError('CANCELLED', 'the job was cancelled'));
      const w = (worker ??= spawn());
      let settled = false;
      const finish = (fn: () => void, alive: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (!alive) kill(w);
        fn();
      };
      const onAbort = () => finish(() => reject(new EngineError('CANCELLED', 'the job was cancelled')), false);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = opts.timeoutMs
        ? setTimeout(() => finish(() => reject(new EngineError('TIMEOUT', `task ${task} exceeded its time limit of ${opts.timeoutMs} ms`, { task, timeoutMs: opts.timeoutMs })), false), opts.timeoutMs)
        : undefined;
      const onMessage = (msg: WorkerMessage) => {
        if (msg.type === 'progress') opts.onProgress?.(msg.stage!, msg.fraction!, msg.metrics, msg.message);
        else if (msg.type === 'result') finish(() => resolve(msg.result as T), true);
        else if (msg.type === 'error') finish(() => reject(fromFailure(msg.error!)), true);
      };
      const onError = (err: Error) => finish(() => reject(new EngineError('INTERNAL', `worker for ${task} crashed: ${err.message}`, { task })), false);
      const onExit = (code: number) => finish(() => reject(new EngineError('INTERNAL', `worker for ${task} exited with code ${code} before answering`, { task })), false);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ task, payload }, opts.transfer ?? []);
    });
  }
  return {
    run<T>(task: string, payload: unknown, opts: RunInWorkerOptions = {}) {
      const p = queue.then(() => runOne<T>(task, payload, opts));
      queue = p.catch(() => {});
      return p;
    },
    close() {
      closed = true;
      if (worker) kill(worker);
    },
  };
}

/** Runs one named task in a fresh worker thread; cancellation and time limits terminate it. */
export function runInWorker<T>(entry: WorkerEntry, task: string, payload: unknown, opts: RunInWorkerOptions = {}): Promise<T> {
  const session = openWorkerSession(entry);
  return session.run<T>(task, payload, opts).finally(() => session.close());
}
