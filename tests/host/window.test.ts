import { describe, expect, it, vi } from 'vitest';

// vi.mock factories are hoisted above imports; the state they share must be hoisted with them.
const { created, headerHooks, permissionHandlers, openExternal, templates } = vi.hoisted(() => ({
  created: [] as { options: any; handlers: Record<string, Function>; loaded: string[]; openHandler?: Function }[],
  headerHooks: [] as Function[],
  permissionHandlers: [] as Function[],
  openExternal: vi.fn(),
  templates: [] as any[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    record: (typeof created)[number];
    webContents: any;
    constructor(options: unknown) {
      this.record = { options, handlers: {}, loaded: [] };
      created.push(this.record);
      const rec = this.record;
      this.webContents = { id: 1, setWindowOpenHandler: (fn: Function) => (rec.openHandler = fn), on: (ev: string, fn: Function) => (rec.handlers[ev] = fn), send: vi.fn() };
    }
    once() {}
    show() {}
    loadFile(p: string) {
      this.record.loaded.push(p);
      return Promise.resolve();
    }
    loadURL(u: string) {
      this.record.loaded.push(u);
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    session: { defaultSession: { webRequest: { onHeadersReceived: (fn: Function) => headerHooks.push(fn) }, setPermissionRequestHandler: (fn: Function) => permissionHandlers.push(fn) } },
    shell: { openExternal },
    Menu: { buildFromTemplate: (t: unknown) => (templates.push(t), t), setApplicationMenu: vi.fn() },
  };
});

import { createMainWindow } from '../../src/main/host/window';
import { menuTemplate } from '../../src/main/host/menu';
import { contentSecurityPolicy } from '../../src/main/server/csp';

describe('main window', () => {
  createMainWindow({ preload: '/app/out/preload', renderer: '/app/out/renderer' });
  const win = created[0];

  it('uses the secure webPreferences', () => {
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false, preload: '/app/out/preload/index.cjs' });
    expect(win.loaded).toEqual(['/app/out/renderer/index.html']);
  });

  it('adds the strict CSP to every response and denies every permission', () => {
    let headers: any;
    headerHooks[0]({ responseHeaders: { a: ['b'] } }, (r: any) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
    expect(contentSecurityPolicy).toMatch(/script-src 'self'[;]/);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval/);
    let granted: boolean | undefined;
    permissionHandlers[0]({}, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
  });

  it('never navigates or opens windows; https links go to the system browser', () => {
    const prevent = vi.fn();
    win.handlers['will-navigate']({ preventDefault: prevent });
    expect(prevent).toHaveBeenCalled();
    expect(win.openHandler!({ url: 'https://example.org/docs' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.org/docs');
    expect(win.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('has an app menu with standard roles and workspace shortcuts that reach the renderer', () => {
    const sent: string[] = [];
    const t = menuTemplate((c) => sent.push(c), 'linux');
    const roles = t.map((m) => m.role).filter(Boolean);
    expect(roles).toEqual(['editMenu', 'viewMenu', 'windowMenu', 'help']);
    const file = t[0].submenu as any[];
    expect(file.map((i) => i.accelerator).filter(Boolean)).toEqual(['CmdOrCtrl+N', 'CmdOrCtrl+O', 'CmdOrCtrl+I']);
    file[1].click();
    expect(sent).toEqual(['open-workspace']);
    expect(menuTemplate(() => undefined, 'darwin')[0].role).toBe('appMenu');
  });
});
