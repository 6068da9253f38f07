import type { InputOf, MethodName, OutputOf, JobMethodName } from '../../../shared/contract';
import type { JobEvent, JobInfo } from '../../../shared/events';
import type { RouteplanBridge } from '../../../shared/ipc';

/** A failure from the engine, rebuilt as a real Error with its code and details. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface Client {
  readonly mode: 'ipc' | 'http';
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  start(method: JobMethodName, input: unknown): Promise<{ jobId: string }>;
  cancel(jobId: string): Promise<boolean>;
  jobs(): Promise<JobInfo[]>;
  onEvent(listener: (e: JobEvent) => void): () => void;
  /** A file the engine can read: a native dialog's path (desktop) or an uploaded copy (browser). */
  fileForImport(file?: File): Promise<string | null>;
}

declare global {
  interface Window {
    routeplan?: RouteplanBridge;
  }
}

function unwrap<T>(r: { result?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } }): T {
  if (r.error) throw new ApiError(r.error.code, r.error.message, r.error.details);
  return r.result as T;
}

function ipcClient(bridge: RouteplanBridge): Client {
  return {
    mode: 'ipc',
    call: async (method, input) => unwrap(await bridge.invoke(method, input)),
    start: async (method, input) => unwrap(await bridge.invoke(method, input)),
    cancel: async (jobId) => unwrap<{ cancelled: boolean }>(await bridge.cancel(jobId)).cancelled,
    jobs: async () => unwrap<JobInfo[]>(await bridge.jobs()),
    onEvent: (listener) => bridge.onEvent((e) => listener(e as JobEvent)),
    fileForImport: async (file) => {
      // Electron exposes a dropped file's path through webUtils in the preload; the dialog covers the rest.
      if (file && (file as File & { path?: string }).path) return (file as File & { path?: string }).path!;
      return bridge.pickFile({ title: 'Import data', filters: [{ name: 'Data', extensions: ['csv', 'json', 'jsonl'] }] });
    },
  };
}

function httpClient(token: string): Client {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const post = async (path: string, body: unknown) => unwrap<any>(await (await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) })).json());
  const listeners = new Set<(e: JobEvent) => void>();
  let source: EventSource | null = null;
  const ensureSource = () => {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.addEventListener('job', (m) => {
      const e = JSON.parse((m as MessageEvent).data) as JobEvent;
      for (const l of listeners) l(e);
    });
  };
  return {
    mode: 'http',
    call: (method, input) => post('/api/invoke', { method, input }),
    start: (method, input) => post('/api/invoke', { method, input }),
    cancel: async (jobId) => (await post('/api/cancel', { jobId })).cancelled,
    jobs: async () => unwrap<JobInfo[]>(await (await fetch('/api/jobs', { headers })).json()),
    onEvent(listener) {
      ensureSource();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async fileForImport(file) {
      if (!file) return null;
      const res = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: file });
      return unwrap<{ path: string }>(await res.json()).path;
    },
  };
}

/** One client for both faces: IPC when the preload is there, HTTP with the URL's token otherwise. */
export function createClient(): Client {
  if (window.routeplan) return ipcClient(window.routeplan);
  const token = new URLSearchParams(window.location.search).get('token') ?? sessionStorage.getItem('routeplan-token') ?? '';
  if (token) sessionStorage.setItem('routeplan-token', token);
  return httpClient(token);
}

/** Starts a job and resolves with its result; progress goes to onProgress. */
export function runJob<T>(client: Client, method: JobMethodName, input: unknown, onProgress?: (e: Extract<JobEvent, { type: 'progress' }>) => void): { jobId: Promise<string>; result: Promise<T> } {
  let resolveId!: (id: string) => void;
  const jobId = new Promise<string>((r) => (resolveId = r));
  const result = new Promise<T>((resolve, reject) => {
    let id: string | null = null;
    const early: JobEvent[] = [];
    const handle = (e: JobEvent) => {
      if (e.jobId !== id) return;
      if (e.type === 'progress') onProgress?.(e);
      else if (e.type === 'done') (off(), resolve(e.result as T));
      else if (e.type === 'failed') (off(), reject(new ApiError(e.error.code, e.error.message, e.error.details)));
      else if (e.type === 'cancelled') (off(), reject(new ApiError('CANCELLED', 'cancelled')));
    };
    const off = client.onEvent((e) => (id ? handle(e) : early.push(e)));
    client.start(method, input).then(
      (r) => {
        id = r.jobId;
        resolveId(r.jobId);
        early.splice(0).forEach(handle);
      },
      (err) => (off(), reject(err)),
    );
  });
  return { jobId, result };
}
