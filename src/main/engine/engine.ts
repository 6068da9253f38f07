import { randomUUID } from 'node:crypto';
import { methods, isMethodName, type MethodName, type OutputOf, type ParsedInputOf, type JobMethodName } from '../../shared/contract';
import { EngineError, toFailure } from '../../shared/errors';
import type { JobEvent, JobInfo } from '../../shared/events';
import { openDatabase, type Db } from './store/database';
import { markInterruptedJobs, recordJobEnd, recordJobStart } from './store/jobs';
import { quietContext, throwIfAborted, type JobContext } from './jobs/context';
import { createEta } from './jobs/eta';
import { runInWorker, openWorkerSession, type WorkerEntry } from './jobs/worker-pool';
import type { EngineServices } from './services';
import { workspaceHandlers } from './handlers/workspace';
import { dataHandlers } from './handlers/data';
import { routingHandlers } from './handlers/routing';
import { evaluationHandlers } from './handlers/evaluation';
import { predictorHandlers } from './handlers/predictor';
import { policyHandlers } from './handlers/policy';
import { allocationHandlers } from './handlers/allocation';
import { performanceMeasurementHandlers } from './handlers/performance-measurements';
import { performanceHandlers } from './handlers/performance';
import { demandHandlers } from './handlers/demand';
import { planningHandlers } from './handlers/planning';

export interface EngineDeps {
  /** Workspace file, or ':memory:' (tests). */
  workspacePath: string;
  worker: WorkerEntry;
  now?: () => Date;
}

export type Handler<M extends MethodName> = (input: ParsedInputOf<M>, ctx: JobContext) => Promise<OutputOf<M>> | OutputOf<M>;
export type Handlers = { [M in MethodName]: Handler<M> };
export type HandlerGroup<K extends MethodName> = { [M in K]: Handler<M> };

export interface Engine {
  /** Validates and runs any method to completion; long methods report through ctx. */
  call<M extends MethodName>(method: M, input: unknown, ctx?: JobContext): Promise<OutputOf<M>>;
  /** Starts a long method as a background job; follow it with subscribe(). */
  start(method: JobMethodName, input: unknown): { jobId: string };
  cancel(jobId: string): boolean;
  jobs(): JobInfo[];
  subscribe(listener: (event: JobEvent) => void): () => void;
  /** For faces that receive a method name from outside (IPC, HTTP): runs calls, starts jobs. */
  invoke(method: string, input: unknown): Promise<unknown>;
  readonly services: EngineServices;
  close(): void;
}

export function createEngine(deps: EngineDeps): Engine {
  const now = deps.now ?? (() => new Date());
  let path = deps.workspacePath;
  let db: Db = openWorkspace(path);
  const listeners = new Set<(e: JobEvent) => void>();
  const running = new Map<string, { info: JobInfo; abort: AbortController }>();
  const finished: JobInfo[] = [];

  function openWorkspace(p: string, create = true): Db {
    const d = openDatabase(p, { create });
    markInterruptedJobs(d, now());
    return d;
  }

  const services: EngineServices = {
    db: () => db,
    workspacePath: () => path,
    now,
    workerEntry: deps.worker,
    workerSession: () => openWorkerSession(deps.worker),
    inWorker(task, payload, ctx, opts = {}) {
      const [lo, hi] = opts.span ?? [0, 1];
      return runInWorker(deps.worker, task, payload, {
        ...opts,
        signal: ctx.signal,
        onProgress: (stage, fraction, metrics, message) => ctx.progress({ stage: opts.stage ?? stage, fraction: lo + (hi - lo) * fraction, metrics, message }),
      });
    },
  };

  const handlers: Handlers = {
    ...workspaceHandlers(services, {
      reopen(p, create) {
        const next = openWorkspace(p, create);
        db.close();
        db = next;
        path = p;
      },
    }),
    ...dataHandlers(services),
    ...routingHandlers(services),
    ...evaluationHandlers(services),
    ...predictorHandlers(services),
    ...policyHandlers(services),
    ...allocationHandlers(services),
    ...performanceMeasurementHandlers(services),
    ...performanceHandlers(services),
    ...demandHandlers(services),
    ...planningHandlers(services),
  };

  function emit(e: JobEvent): void {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        /* a face's listener must not break the engine */
      }
    }
  }

  function parse<M extends MethodName>(method: M, input: unknown): ParsedInputOf<M> {
    const parsed = methods[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new EngineError('INVALID_INPUT', `invalid input for ${method}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, { method, issues });
    }
    return parsed.data as ParsedInputOf<M>;
  }

  async function call<M extends MethodName>(method: M, input: unknown, ctx: JobContext = quietContext()): Promise<OutputOf<M>> {
    if (!isMethodName(method)) throw new EngineError('NOT_FOUND', `unknown method ${String(method)}`);
    const parsed = parse(method, input);
    const handler = handlers[method] as Handler<M>;
    return handler(parsed, ctx);
  }

  function start(method: JobMethodName, input: unknown): { jobId: string } {
    if (!isMethodName(method) || !methods[method].job) throw new EngineError('INVALID_INPUT', `${String(method)} is not a job method`);
    const parsed = parse(method, input);
    const jobId = randomUUID();
    const abort = new AbortController();
    const info: JobInfo = { jobId, method, state: 'running', startedAt: now().getTime() };
    running.set(jobId, { info, abort });
    recordJobStart(db, jobId, method, parsed, now());
    const eta = createEta(Date.now());
    const ctx: JobContext = {
      signal: abort.signal,
      check: () => throwIfAborted(abort.signal),
      progress(u) {
        const fraction = Math.max(0, Math.min(1, u.fraction));
        const etaMs = eta(fraction, Date.now());
        info.last = { jobId, method, stage: u.stage, fraction, etaMs, message: u.message, metrics: u.metrics };
        emit({ type: 'progress', ...info.last });
      },
    };
    emit({ type: 'started', jobId, method });
    // Run on the next turn so that the caller has the id before the first event.
    setImmediate(async () => {
      try {
        const handler = handlers[method] as Handler<typeof method>;
        const result = await handler(parsed as never, ctx);
        throwIfAborted(abort.signal);
        Object.assign(info, { state: 'done', result });
        recordJobEnd(db, jobId, 'done', null, now());
        emit({ type: 'done', jobId, method, result });
      } catch (err) {
        const failure = toFailure(err);
        const cancelled = failure.code === 'CANCELLED' || abort.signal.aborted;
        Object.assign(info, cancelled ? { state: 'cancelled' } : { state: 'failed', error: failure });
        recordJobEnd(db, jobId, cancelled ? 'cancelled' : 'failed', cancelled ? null : JSON.stringify(failure), now());
        emit(cancelled ? { type: 'cancelled', jobId, method } : { type: 'failed', jobId, method, error: failure });
      } finally {
        running.delete(jobId);
        finished.unshift(info);
        finished.length = Math.min(finished.length, 50);
      }
    });
    return { jobId };
  }

  return {
    call,
    start,
    cancel(jobId) {
      const job = running.get(jobId);
      if (!job) return false;
      job.abort.abort();
      return true;
    },
    jobs: () => [...[...running.values()].map((j) => j.info), ...finished],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async invoke(method, input) {
      if (!isMethodName(method)) throw new EngineError('NOT_FOUND', `unknown method ${method}`);
      return methods[method].job ? start(method as JobMethodName, input) : call(method, input);
    },
    services,
    close() {
      for (const j of running.values()) j.abort.abort();
      db.close();
    },
  };
}
