import { BrowserWindow, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { contentSecurityPolicy } from '../server/csp';

/** The secure defaults every window gets: isolated, sandboxed, no Node, strict CSP, no navigation. */
export function createMainWindow(dirs: { preload: string; renderer: string }, devUrl?: string): BrowserWindow {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    title: 'routeplan',
    show: false,
    webPreferences: {
      preload: join(dirs.preload, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // External links open in the user's browser; the app itself never navigates away.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(join(dirs.renderer, 'index.html'));
  return win;
}

/** Only our own window's top frame, showing our own page, may call the engine. */
export function trustedSender(win: () => BrowserWindow | null, devUrl?: string) {
  return (sender: WebContents, frameUrl: string): boolean => {
    const w = win();
    if (!w || sender.id !== w.webContents.id) return false;
    return frameUrl.startsWith('file://') || (devUrl != null && frameUrl.startsWith(devUrl));
  };
}
