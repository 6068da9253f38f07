import type { JobMethodName } from '../../../shared/contract';
import type { JobEvent, JobInfo, JobProgress } from '../../../shared/events';
import { ApiError, type Client } from './client';

export interface RunningJob<T> {
  jobId: Promise<string>;
  result: Promise<T>;
}

/** How a finished job's record settles a waiting promise; null while it still runs. */
export function outcomeOf(info: JobInfo): { ok: true; result: unknown } | { ok: false; error: ApiError } | null {
  if (info.state === 'done') return { ok: true, result: info.result };
  if (info.state === 'failed') return { ok: false, error: new ApiError(info.error?.code ?? 'INTERNAL', info.error?.message ?? 'the job failed', info.error?.details) };
  if (info.state === 'cancelled') return { ok: false, error: new ApiError('CANCELLED', 'cancelled') };
  return null;
}

/**
 * Starts a job and resolves with its result; progress goes to onProgress. Events that arrive before
 * the id is known are replayed, and the engine's job list settles a job whose end was missed (an
 * event stream that connected late or reconnected).
 */
export function runJob<T>(client: Client, method: JobMethodName, input: unknown, onProgress?: (p: JobProgress) => void, pollMs = 1500): RunningJob<T> {
  let resolveId!: (id: string) => void;
  let rejectId!: (err: unknown) => void;
  const jobId = new Promise<string>((res, rej) => ((resolveId = res), (rejectId = rej)));
  jobId.catch(() => undefined);
  const result = new Promise<T>((resolve, reject) => {
    let id: string | null = null;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const early: JobEvent[] = [];
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off();
      fn();
    };
    const fromInfo = (info: JobInfo | undefined) => {
      const o = info && outcomeOf(info);
      if (o) settle(() => (o.ok ? resolve(o.result as T) : reject(o.error)));
    };
    const handle = (e: JobEvent) => {
      if (e.jobId !== id) return;
      if (e.type === 'progress') onProgress?.(e);
      else if (e.type === 'done') settle(() => resolve(e.result as T));
      else if (e.type === 'failed') settle(() => reject(new ApiError(e.error.code, e.error.message, e.error.details)));
      else if (e.type === 'cancelled') settle(() => reject(new ApiError('CANCELLED', 'cancelled')));
    };
    // The engine keeps every running job and its last 50 finished ones: a job it does not know was
    // lost with a server that stopped (a restarted server starts with an empty list).
    const reconcile = (jobs: JobInfo[]) => {
      if (!id) return;
      const info = jobs.find((j) => j.jobId === id);
      if (info) fromInfo(info);
      else settle(() => reject(new ApiError('INTERRUPTED', 'the server stopped before this job ended; start it again')));
    };
    // A safety net for a missed end event, not the main channel: back off to one look every 10 s.
    let delay = pollMs;
    const poll = () => {
      if (settled || !id) return;
      client.jobs().then(reconcile, () => undefined).finally(() => {
        delay = Math.min(delay * 1.5, Math.max(pollMs, 10_000));
        if (!settled) timer = setTimeout(poll, delay);
      });
    };
    const off = client.onEvent((e) => (id ? handle(e) : early.push(e)), reconcile);
    client.start(method, input).then(
      (r) => {
        id = r.jobId;
        resolveId(r.jobId);
        early.splice(0).forEach(handle);
        if (!settled) timer = setTimeout(poll, pollMs);
      },
      (err) => {
        rejectId(err);
        settle(() => reject(err));
      },
    );
  });
  return { jobId, result };
}
