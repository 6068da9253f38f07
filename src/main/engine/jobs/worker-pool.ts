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

type WorkerMessage = { type: string; stage?: string; fraction?: number; metrics?: Record<string, number>; message?: string; result?: unknown; error?: EngineFailure; retire?: boolean };

// Threads kept warm between tasks: starting one (and loading its task's modules, HiGHS's WASM, the
// encoder's weights) costs 70-400 ms, more than many of the tasks themselves (a small allocation's
// solve runs 4-6 tasks). A thread whose task answered goes back here, unreferenced so it never holds
// a process open, and ends after IDLE_MS or MAX_USES tasks (whatever a task left in its heap is
// freed with it). Cancelled and timed-out threads are terminated, never kept.
const IDLE_MS = 10_000;
let MAX_IDLE = 2;
const MAX_USES = 50;

/** How many idle threads per entry are kept (default 2; 0 starts a thread per task, as `npm run bench workers` compares). */
export function keepIdleWorkers(n: number): void {
  MAX_IDLE = Math.max(0, Math.floor(n));
  if (MAX_IDLE === 0) closeIdleWorkers();
}

interface Kept {
  w: Worker;
  /** process.env when the thread started: a thread copies it then, so a kept one must not outlive a change. */
  env: string;
  timer: NodeJS.Timeout;
  onExit: () => void;
}
const idle = new Map<string, Kept[]>();
const uses = new WeakMap<Worker, number>();
const startedEnv = new WeakMap<Worker, string>();
const envNow = () => JSON.stringify(process.env);
const poolKey = (entry: WorkerEntry) => `${entry.url.href}\0${(entry.execArgv ?? []).join('\0')}`;

function takeIdle(entry: WorkerEntry): Worker | null {
  const list = idle.get(poolKey(entry));
  const env = envNow();
  for (let kept = list?.pop(); kept; kept = list?.pop()) {
    clearTimeout(kept.timer);
    kept.w.off('exit', kept.onExit);
    if (kept.env !== env) {
      void kept.w.terminate();
      continue;
    }
    kept.w.ref();
    return kept.w;
  }
  return null;
}

function keepIdle(entry: WorkerEntry, w: Worker): void {
  const key = poolKey(entry);
  const list = idle.get(key) ?? [];
  idle.set(key, list);
  if ((uses.get(w) ?? 0) >= MAX_USES || list.length >= MAX_IDLE) {
    void w.terminate();
    return;
  }
  const drop = () => {
    const i = list.indexOf(kept);
    if (i >= 0) list.splice(i, 1);
  };
  const kept: Kept = {
    w,
    env: startedEnv.get(w) ?? '',
    onExit: drop,
    timer: setTimeout(() => {
      drop();
      void w.terminate();
    }, IDLE_MS),
  };
  kept.timer.unref();
  w.once('exit', drop);
  w.unref();
  list.push(kept);
}

/** Ends every kept idle thread (tests that count threads; a host shutting down). */
export function closeIdleWorkers(): void {
  for (const list of idle.values())
    for (const k of list.splice(0)) {
      clearTimeout(k.timer);
      void k.w.terminate();
    }
}

export function openWorkerSession(entry: WorkerEntry): WorkerSession {
  let worker: Worker | null = null;
  let closed = false;
  let busy = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const onWorkerExit = (w: Worker) => () => {
    if (worker === w) worker = null;
  };
  let exitListener: (() => void) | null = null;
  const adopt = (w: Worker) => {
    exitListener = onWorkerExit(w);
    w.on('exit', exitListener);
    worker = w;
    return w;
  };
  const release = (w: Worker) => {
    if (exitListener) w.off('exit', exitListener);
    exitListener = null;
    if (worker === w) worker = null;
  };
  const kill = (w: Worker) => {
    release(w);
    void w.terminate();
  };
  const spawn = () => {
    const env = envNow();
    const w = new Worker(entry.url, { execArgv: entry.execArgv ?? [] });
    startedEnv.set(w, env);
    // A thread that dies between tasks must not throw in the host; the next task starts another.
    w.on('error', () => {});
    return w;
  };
  function runOne<T>(task: string, payload: unknown, opts: RunInWorkerOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (closed) return reject(new EngineError('CANCELLED', 'the worker session was closed'));
      if (opts.signal?.aborted) return reject(new EngineError('CANCELLED', 'the job was cancelled'));
      const w = worker ?? adopt(takeIdle(entry) ?? spawn());
      uses.set(w, (uses.get(w) ?? 0) + 1);
      busy++;
      let settled = false;
      const finish = (fn: () => void, alive: boolean) => {
        if (settled) return;
        settled = true;
        busy--;
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
        else if (msg.type === 'result') finish(() => resolve(msg.result as T), !msg.retire);
        else if (msg.type === 'error') finish(() => reject(fromFailure(msg.error!)), !msg.retire);
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
      // An idle thread is kept warm for the next task; one still working is stopped.
      if (worker && busy === 0) {
        const w = worker;
        release(w);
        keepIdle(entry, w);
      } else if (worker) kill(worker);
    },
  };
}

/** Runs one named task in a worker thread (a kept idle one when there is one); cancellation and time limits terminate it. */
export function runInWorker<T>(entry: WorkerEntry, task: string, payload: unknown, opts: RunInWorkerOptions = {}): Promise<T> {
  const session = openWorkerSession(entry);
  return session.run<T>(task, payload, opts).finally(() => session.close());
}
