import { app, BrowserWindow, ipcMain } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from './engine/engine';
import { bindIpc, forwardEvents } from './host/ipc';
import { createMainWindow, trustedSender } from './host/window';
import { nativeDialogs } from './host/dialogs';
import { buildMenu } from './host/menu';

// The desktop host: a thin shell over the engine. The workspace lives in the OS's app-data
// folder; on first launch it is filled with the built-in demo so there is something to plan.
let win: BrowserWindow | null = null;
let engine: Engine | null = null;
const devUrl = process.env.ELECTRON_RENDERER_URL;

app.enableSandbox();

app.whenReady().then(async () => {
  const workspacePath = join(app.getPath('userData'), 'workspace.sqlite');
  const firstLaunch = !existsSync(workspacePath);
  engine = createEngine({ workspacePath, worker: { url: new URL('./worker.js', import.meta.url) } });
  if (firstLaunch) engine.start('demo.create', {});
  bindIpc(ipcMain, engine, trustedSender(() => win, devUrl), nativeDialogs(() => win));
  forwardEvents(engine, () => win?.webContents ?? null);
  buildMenu(() => win);
  win = createMainWindow({ preload: fileURLToPath(new URL('../preload', import.meta.url)), renderer: fileURLToPath(new URL('../renderer', import.meta.url)) }, devUrl);
  win.on('closed', () => (win = null));
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.on('window-all-closed', () => {
  engine?.close();
  app.quit();
});
