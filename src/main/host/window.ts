import { BrowserWindow, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../server/csp';
import type { SenderCheck, SenderFrame } from './ipc';

/** The secure settings every window gets: isolated, sandboxed, no Node, no webviews. */
export function secureWebPreferences(preloadDir: string): Electron.WebPreferences {
  return {
    preload: join(preloadDir, 'index.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** The window: strict CSP on every response, no permissions, no navigation away, no pop-ups. */
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
    webPreferences: secureWebPreferences(dirs.preload),
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

/** The page our window must be showing for its IPC to count: the built index.html or the dev server. */
export function rendererPageUrl(rendererDir: string): string {
  return pathToFileURL(join(rendererDir, 'index.html')).href;
}

/**
 * Only our own window's top frame, showing our own page, may call the engine: not an iframe, not
 * another window, not a page the window was somehow navigated to.
 */
export function trustedSender(win: () => { webContents: { id: number } } | null, pageUrl: string, devUrl?: string): SenderCheck {
  const devOrigin = devUrl ? new URL(devUrl).origin : null;
  return (sender: WebContents, frame: SenderFrame | null): boolean => {
    const w = win();
    if (!w || !frame || sender.id !== w.webContents.id || frame.parent != null) return false;
    let url: URL;
    try {
      url = new URL(frame.url);
    } catch {
      return false;
    }
    if (devOrigin) return url.origin === devOrigin;
    return url.protocol === 'file:' && `${url.protocol}//${url.host}${url.pathname}` === pageUrl;
  };
}
