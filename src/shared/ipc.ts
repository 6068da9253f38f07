// IPC channel names, shared by the host and the preload so that neither retypes them.
export const ipcChannels = {
  invoke: 'routeplan:invoke',
  cancel: 'routeplan:cancel',
  jobs: 'routeplan:jobs',
  event: 'routeplan:event',
  pickFile: 'routeplan:pick-file',
  saveFile: 'routeplan:save-file',
  recent: 'routeplan:recent',
} as const;

/** What the preload exposes as window.routeplan; the renderer's client is built on it. */
export interface RouteplanBridge {
  invoke(method: string, input: unknown): Promise<{ result?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } }>;
  cancel(jobId: string): Promise<{ result?: { cancelled: boolean }; error?: { code: string; message: string } }>;
  jobs(): Promise<{ result?: unknown[] }>;
  onEvent(listener: (event: unknown) => void): () => void;
  pickFile(options: { title?: string; filters?: { name: string; extensions: string[] }[]; save?: boolean; directory?: boolean }): Promise<string | null>;
  saveFile(options: { defaultName: string; content: string; encoding?: 'utf8' | 'base64' }): Promise<string | null>;
}
