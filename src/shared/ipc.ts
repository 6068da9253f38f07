// IPC channel names, shared by the host and the preload so that neither retypes them.
export const ipcChannels = {
  invoke: 'routeplan:invoke',
  cancel: 'routeplan:cancel',
  jobs: 'routeplan:jobs',
  event: 'routeplan:event',
  menu: 'routeplan:menu',
  pickFile: 'routeplan:pick-file',
  saveFile: 'routeplan:save-file',
} as const;

export type BridgeFailure = { code: string; message: string; details?: Record<string, unknown> };

/** Commands the app menu sends to the renderer (the menu lives in the main process). */
export type MenuCommand = 'open-workspace' | 'new-workspace' | 'import-data' | 'show-guide';

export interface PickFileOptions {
  title?: string;
  filters?: { name: string; extensions: string[] }[];
  /** A save dialog: the path may not exist yet (e.g. a new workspace). */
  save?: boolean;
  directory?: boolean;
  defaultName?: string;
}

export interface SaveFileOptions {
  defaultName: string;
  content: string;
  encoding?: 'utf8' | 'base64';
  filters?: { name: string; extensions: string[] }[];
}

/** What the preload exposes as window.routeplan; the renderer's client is built on it. */
export interface RouteplanBridge {
  invoke(method: string, input: unknown): Promise<{ result?: unknown; error?: BridgeFailure }>;
  cancel(jobId: string): Promise<{ result?: { cancelled: boolean }; error?: BridgeFailure }>;
  jobs(): Promise<{ result?: unknown[]; error?: BridgeFailure }>;
  onEvent(listener: (event: unknown) => void): () => void;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /** A native open/save dialog; the chosen path, or null when dismissed. */
  pickFile(options: PickFileOptions): Promise<{ result?: string | null; error?: BridgeFailure }>;
  /** Writes content to a file the user chooses (chart and data exports); the path, or null. */
  saveFile(options: SaveFileOptions): Promise<{ result?: string | null; error?: BridgeFailure }>;
  /** The path of a dropped File (Electron's webUtils; File.path no longer exists). */
  pathForFile(file: File): string;
}
