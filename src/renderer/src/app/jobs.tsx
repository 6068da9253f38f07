import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { JobMethodName } from '../../../shared/contract';
import type { JobEvent, JobInfo, JobProgress } from '../../../shared/events';
import { ApiError } from '../api/client';
import { outcomeOf, runJob } from '../api/run-job';
import { useClient } from './context';
import { jobLabel } from './job-labels';

export interface TrackedJob {
  jobId: string;
  method: string;
  label: string;
  state: JobInfo['state'];
  startedAt: number;
  progress?: JobProgress;
  /** Every distinct metrics update (e.g. per epoch), for live curves; capped. */
  history?: Record<string, number>[];
  result?: unknown;
  error?: ApiError;
  /** What the job was started with, when it was started here (screens find "their" job by it). */
  input?: unknown;
  dismissed?: boolean;
}

interface JobsApi {
  jobs: TrackedJob[];
  /** Increases whenever a job finishes successfully: lists that depend on the workspace reload. */
  revision: number;
  start<T>(method: JobMethodName, input: unknown, label?: string): { jobId: Promise<string>; result: Promise<T> };
  cancel(jobId: string): Promise<void>;
  dismiss(jobId: string): void;
  /** The newest job of a method (running or finished), so a screen shows it again after navigation. */
  latest(method: string): TrackedJob | undefined;
  bump(): void;
}

const JobsContext = createContext<JobsApi | null>(null);

export function useJobs(): JobsApi {
  const j = useContext(JobsContext);
  if (!j) throw new Error('useJobs outside JobsProvider');
  return j;
}

/**
 * Every job the engine runs, whoever started it, held above the screens so that progress, results
 * and cancel buttons survive navigation.
 */
export function JobsProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [jobs, setJobs] = useState<Map<string, TrackedJob>>(new Map());
  const [revision, setRevision] = useState(0);
  const inputs = useRef(new Map<string, unknown>());

  const upsert = useCallback((jobId: string, patch: Partial<TrackedJob> & { method: string }, metrics?: Record<string, number>) => {
    setJobs((prev) => {
      const next = new Map(prev);
      const old = prev.get(jobId);
      const base: TrackedJob = old ?? { jobId, method: patch.method, label: jobLabel(patch.method), state: 'running', startedAt: Date.now(), input: inputs.current.get(jobId) };
      // A finished job never goes back to running (a late progress event or an old snapshot).
      if (old && old.state !== 'running' && (patch.state ?? 'running') === 'running') return prev;
      const merged = { ...base, ...patch };
      if (metrics) {
        const h = base.history ?? [];
        const last = h[h.length - 1];
        if (!last || JSON.stringify(last) !== JSON.stringify(metrics)) merged.history = [...h.slice(-499), metrics];
      }
      next.set(jobId, merged);
      return next;
    });
  }, []);

  useEffect(() => {
    const onEvent = (e: JobEvent) => {
      if (e.type === 'started') upsert(e.jobId, { method: e.method, state: 'running' });
      else if (e.type === 'progress') upsert(e.jobId, { method: e.method, progress: e }, e.metrics);
      else if (e.type === 'done') {
        upsert(e.jobId, { method: e.method, state: 'done', result: e.result });
        setRevision((r) => r + 1);
      } else if (e.type === 'failed') upsert(e.jobId, { method: e.method, state: 'failed', error: new ApiError(e.error.code, e.error.message, e.error.details) });
      else upsert(e.jobId, { method: e.method, state: 'cancelled' });
    };
    const onSnapshot = (list: JobInfo[]) => {
      let finished = false;
      for (const info of list) {
        const o = outcomeOf(info);
        finished ||= info.state === 'done';
        upsert(info.jobId, { method: info.method, state: info.state, startedAt: info.startedAt, progress: info.last, ...(o ? (o.ok ? { result: o.result } : { error: o.error }) : {}) });
      }
      if (finished) setRevision((r) => r + 1);
    };
    return client.onEvent(onEvent, onSnapshot);
  }, [client, upsert]);

  const api = useMemo<JobsApi>(() => {
    const list = [...jobs.values()].sort((a, b) => b.startedAt - a.startedAt);
    return {
      jobs: list,
      revision,
      start<T>(method: JobMethodName, input: unknown, label?: string) {
        const run = runJob<T>(client, method, input);
        void run.jobId.then((id) => {
          inputs.current.set(id, input);
          upsert(id, { method, input, ...(label ? { label } : {}) });
        }, () => undefined);
        return run;
      },
      async cancel(jobId) {
        await client.cancel(jobId);
      },
      dismiss: (jobId) => setJobs((prev) => new Map(prev).set(jobId, { ...prev.get(jobId)!, dismissed: true })),
      latest: (method) => list.find((j) => j.method === method),
      bump: () => setRevision((r) => r + 1),
    };
  }, [jobs, revision, client, upsert]);

  return <JobsContext.Provider value={api}>{children}</JobsContext.Provider>;
}
