import { app, BrowserWindow, ipcMain } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from './engine/engine';
import { bindIpc, forwardEvents } from './host/ipc';
import { createMainWindow, rendererPageUrl, trustedSender } from './host/window';
import { nativeDialogs } from './host/dialogs';
import { buildMenu } from './host/menu';

// The desktop host: a thin shell over the engine. The workspace lives in the OS's app-data
// folder; on first launch it is filled with the built-in demo so there is something to plan.
let win: BrowserWindow | null = null;
let engine: Engine | null = null;
const devUrl = process.env.ELECTRON_RENDERER_URL;
const dirs = { preload: fileURLToPath(new URL('../preload', import.meta.url)), renderer: fileURLToPath(new URL('../renderer', import.meta.url)) };

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => {
  if (win?.isMinimized()) win.restore();
  win?.focus();
});

app.whenReady().then(() => {
  const workspacePath = join(app.getPath('userData'), 'workspace.sqlite');
  const firstLaunch = !existsSync(workspacePath);
  engine = createEngine({ workspacePath, worker: { url: new URL('./worker.js', import.meta.url) } });
  // The demo job shows in the renderer's job tray like any other; its outcome is the tray's to report.
  if (firstLaunch) engine.start('demo.create', {});
  bindIpc(ipcMain, engine, trustedSender(() => win, rendererPageUrl(dirs.renderer), devUrl), nativeDialogs(() => win));
  forwardEvents(engine, () => win?.webContents ?? null);
  buildMenu(() => win);
  win = createMainWindow(dirs, devUrl);
  win.on('closed', () => (win = null));
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.on('window-all-closed', () => {
  engine?.close();
  app.quit();
});
