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
  /** 'interrupted': its process stopped before it ended (from the journal, or gone after a server restart). */
  state: JobInfo['state'] | 'interrupted';
  startedAt: number;
  /** A running job whose server cannot be reached: its fate is unknown until the server answers again. */
  lost?: boolean;
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
  /** Dismisses every finished job (remembered in the workspace for journal entries). */
  clearFinished(): void;
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
  const [connected, setConnected] = useState(true);

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
      // A server started again knows nothing of the jobs it ran before: they were interrupted.
      const known = new Set(list.map((j) => j.jobId));
      setJobs((prev) => {
        let changed = false;
        const next = new Map(prev);
        for (const [id, j] of prev) {
          if (j.state === 'running' && !known.has(id)) {
            next.set(id, { ...j, state: 'interrupted', lost: false });
            changed = true;
          } else if (j.lost) {
            next.set(id, { ...j, lost: false });
            changed = true;
          }
        }
        return changed ? next : prev;
      });
      void loadJournal();
      let finished = false;
      for (const info of list) {
        const o = outcomeOf(info);
        finished ||= info.state === 'done';
        upsert(info.jobId, { method: info.method, state: info.state, startedAt: info.startedAt, progress: info.last, ...(o ? (o.ok ? { result: o.result } : { error: o.error }) : {}) });
      }
      if (finished) setRevision((r) => r + 1);
    };
    // Jobs a stopped process left unfinished (this server's predecessor, a killed CLI run).
    const loadJournal = async () => {
      try {
        const [rows, settings] = await Promise.all([client.call('jobs.interrupted', {}), client.call('settings.get', {})]);
        const clearedBefore = typeof settings['jobs.clearedBefore'] === 'number' ? settings['jobs.clearedBefore'] : 0;
        setJobs((prev) => {
          const next = new Map(prev);
          for (const r of rows) {
            if (r.startedAt <= clearedBefore || (prev.has(r.jobId) && prev.get(r.jobId)!.state !== 'running')) continue;
            next.set(r.jobId, { ...(prev.get(r.jobId) ?? { label: jobLabel(r.method), input: undefined }), jobId: r.jobId, method: r.method, state: 'interrupted', startedAt: r.startedAt, lost: false });
          }
          return next;
        });
      } catch {
        /* the journal is a courtesy: without it the tray shows what this page saw */
      }
    };
    const offConnection = client.onConnection((c) => setConnected(c));
    const offEvents = client.onEvent(onEvent, onSnapshot);
    return () => {
      offConnection();
      offEvents();
    };
  }, [client, upsert]);

  // While the server is away, a running job's fate is unknown: say so instead of a frozen bar.
  useEffect(() => {
    if (connected) return;
    setJobs((prev) => {
      const next = new Map(prev);
      for (const [id, j] of prev) if (j.state === 'running') next.set(id, { ...j, lost: true });
      return next;
    });
  }, [connected]);

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
      clearFinished() {
        setJobs((prev) => new Map([...prev].map(([id, j]) => [id, j.state === 'running' ? j : { ...j, dismissed: true }])));
        void client.call('settings.set', { key: 'jobs.clearedBefore', value: Date.now() }).catch(() => undefined);
      },
      latest: (method) => list.find((j) => j.method === method),
      bump: () => setRevision((r) => r + 1),
    };
  }, [jobs, revision, client, upsert]);

  return <JobsContext.Provider value={api}>{children}</JobsContext.Provider>;
}
