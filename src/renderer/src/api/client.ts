import type { InputOf, MethodName, OutputOf, JobMethodName } from '../../../shared/contract';
import type { JobEvent, JobInfo } from '../../../shared/events';
import type { BridgeFailure, MenuCommand, RouteplanBridge } from '../../../shared/ipc';

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

/**
 * Why the engine cannot be reached: the server does not answer (stopped, crashed), or it answers
 * but refuses our token (it was started again, with a new one).
 */
export type ConnectionLoss = 'unreachable' | 'new-token';

/** The code of a call that never reached the engine; the app shows one banner for it, not a notice per panel. */
export const connectionLostCode = 'CONNECTION_LOST';

/** A job method's start answer: the id to follow. */
export interface JobStarted {
  jobId: string;
}

export interface Client {
  readonly mode: 'ipc' | 'http';
  call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  start(method: JobMethodName, input: unknown): Promise<JobStarted>;
  cancel(jobId: string): Promise<boolean>;
  jobs(): Promise<JobInfo[]>;
  /** Job events; `snapshot` fires when the stream (re)connects, with every job the engine knows. */
  onEvent(listener: (e: JobEvent) => void, onSnapshot?: (jobs: JobInfo[]) => void): () => void;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /** Whether the engine is reachable (the browser mode's server may stop; IPC always is). */
  onConnection(listener: (connected: boolean, reason?: ConnectionLoss) => void): () => void;
  /** A file the engine can read: a dropped file's path or a dialog's (desktop), an uploaded copy (browser). */
  fileForImport(file?: File): Promise<string | null>;
  /** A workspace path from a native dialog (desktop); null in the browser, which asks for a path instead. */
  pickWorkspace(create: boolean): Promise<string | null>;
  /** Saves an export: a save dialog on the desktop, a download in the browser. */
  saveExport(name: string, content: string, encoding: 'utf8' | 'base64', mime: string): Promise<string | null>;
}

declare global {
  interface Window {
    routeplan?: RouteplanBridge;
  }
}

function unwrap<T>(r: { result?: unknown; error?: BridgeFailure } | undefined): T {
  if (!r) throw new ApiError('INTERNAL', 'no answer from the engine');
  if (r.error) throw new ApiError(r.error.code, r.error.message, r.error.details);
  return r.result as T;
}

const workspaceFilters = [{ name: 'routeplan workspace', extensions: ['sqlite', 'db'] }];

function ipcClient(bridge: RouteplanBridge): Client {
  return {
    mode: 'ipc',
    call: async (method, input) => unwrap(await bridge.invoke(method, input)),
    start: async (method, input) => unwrap(await bridge.invoke(method, input)),
    cancel: async (jobId) => unwrap<{ cancelled: boolean }>(await bridge.cancel(jobId)).cancelled,
    jobs: async () => unwrap<JobInfo[]>(await bridge.jobs()),
    onEvent(listener, onSnapshot) {
      // IPC is up from the start and never drops events, so the snapshot is one jobs() call.
      if (onSnapshot) void bridge.jobs().then((r) => r.result && onSnapshot(r.result as JobInfo[]));
      return bridge.onEvent((e) => listener(e as JobEvent));
    },
    onMenu: (listener) => bridge.onMenu(listener),
    onConnection: () => () => undefined,
    async fileForImport(file) {
      if (file) return bridge.pathForFile(file) || null;
      return unwrap<string | null>(await bridge.pickFile({ title: 'Import data', filters: [{ name: 'Data', extensions: ['csv', 'tsv', 'json', 'jsonl', 'parquet'] }] }));
    },
    pickWorkspace: async (create) =>
      unwrap<string | null>(await bridge.pickFile(create ? { title: 'New workspace', save: true, defaultName: 'workspace.sqlite', filters: workspaceFilters } : { title: 'Open workspace', filters: workspaceFilters })),
    saveExport: async (name, content, encoding) => unwrap<string | null>(await bridge.saveFile({ defaultName: name, content, encoding })),
  };
}

function httpClient(token: string): Client {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const connection = new Set<(connected: boolean, reason?: ConnectionLoss) => void>();
  let connected = true;
  let lossReason: ConnectionLoss | undefined;
  const setConnected = (c: boolean, reason?: ConnectionLoss) => {
    if (c === connected && reason === lossReason) return;
    connected = c;
    lossReason = c ? undefined : reason;
    for (const l of connection) l(c, lossReason);
  };
  // Every request goes through here: a failed fetch (no server) or a 401 (a restarted server with
  // another token) is a lost connection, not an engine failure.
  const request = async (path: string, init: RequestInit) => {
    let res: Response;
    try {
      res = await fetch(path, init);
    } catch {
      setConnected(false, 'unreachable');
      throw new ApiError(connectionLostCode, 'the routeplan server cannot be reached');
    }
    if (res.status === 401) {
      setConnected(false, 'new-token');
      throw new ApiError(connectionLostCode, 'the routeplan server no longer accepts this page’s access token');
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new ApiError('INTERNAL', `the server answered ${res.status} without a body`);
    }
    setConnected(true);
    return body as { result?: unknown; error?: BridgeFailure };
  };
  const post = async (path: string, body: unknown) => unwrap<any>(await request(path, { method: 'POST', headers, body: JSON.stringify(body) }));
  const listeners = new Set<(e: JobEvent) => void>();
  const snapshots = new Set<(jobs: JobInfo[]) => void>();
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const ensureSource = () => {
    if (source) return;
    const es = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source = es;
    es.addEventListener('job', (m) => {
      const e = JSON.parse((m as MessageEvent).data) as JobEvent;
      for (const l of listeners) l(e);
    });
    // Sent on every (re)connect: whatever happened while the stream was down is in here.
    // EventSource retries by itself while the server is away; an error means it is gone until the
    // next hello. A refusal (401 from a server started again with a new token) closes the stream
    // for good, so it is opened again now and then: a server restarted with the same token
    // (routeplan serve reuses its workspace's token and port) is found again without a new address.
    es.addEventListener('error', () => {
      setConnected(false, lossReason ?? 'unreachable');
      if (es.readyState === EventSource.CLOSED) {
        source = null;
        clearTimeout(retry);
        retry = setTimeout(ensureSource, 3000);
      }
    });
    es.addEventListener('hello', (m) => {
      setConnected(true);
      const { jobs } = JSON.parse((m as MessageEvent).data) as { jobs: JobInfo[] };
      for (const s of snapshots) s(jobs);
    });
  };
  return {
    mode: 'http',
    call: (method, input) => post('/api/invoke', { method, input }),
    start: (method, input) => post('/api/invoke', { method, input }),
    cancel: async (jobId) => (await post('/api/cancel', { jobId })).cancelled,
    jobs: async () => unwrap<JobInfo[]>(await request('/api/jobs', { headers })),
    onEvent(listener, onSnapshot) {
      ensureSource();
      listeners.add(listener);
      if (onSnapshot) snapshots.add(onSnapshot);
      return () => {
        listeners.delete(listener);
        if (onSnapshot) snapshots.delete(onSnapshot);
      };
    },
    onMenu: () => () => undefined,
    onConnection(listener) {
      ensureSource();
      connection.add(listener);
      return () => connection.delete(listener);
    },
    async fileForImport(file) {
      if (!file) return null;
      return unwrap<{ path: string }>(await request(`/api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: file })).path;
    },
    pickWorkspace: async () => null,
    async saveExport(name, content, encoding, mime) {
      const bytes = encoding === 'base64' ? Uint8Array.from(atob(content), (c) => c.charCodeAt(0)) : new TextEncoder().encode(content);
      const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
      const a = Object.assign(document.createElement('a'), { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return name;
    },
  };
}

/** One client for both faces: IPC when the preload is there, HTTP with the URL's token otherwise. */
export function createClient(): Client {
  if (window.routeplan) return ipcClient(window.routeplan);
  const token = new URLSearchParams(window.location.search).get('token') ?? sessionStorage.getItem('routeplan-token') ?? '';
  if (token) sessionStorage.setItem('routeplan-token', token);
  // Keep the token out of the address bar (and out of screenshots, history and shoulder-surfing).
  if (new URLSearchParams(window.location.search).has('token')) history.replaceState(null, '', window.location.pathname);
  return httpClient(token);
}
