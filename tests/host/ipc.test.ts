import { describe, expect, it, vi } from 'vitest';

// The host modules import electron; here it is a double, since Electron's binary cannot run.
vi.mock('electron', () => ({ app: {}, ipcMain: {}, dialog: {}, BrowserWindow: class {}, session: {}, shell: {}, Menu: {} }));

import { bindIpc, forwardEvents, type HostedEngine, type SenderFrame } from '../../src/main/host/ipc';
import { trustedSender, rendererPageUrl } from '../../src/main/host/window';
import { ipcChannels } from '../../src/shared/ipc';
import { EngineError } from '../../src/shared/errors';
import type { JobEvent } from '../../src/shared/events';

type Handler = (event: unknown, payload: unknown) => Promise<any>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (ch: string, fn: Handler) => void handlers.set(ch, fn),
    removeHandler: (ch: string) => void handlers.delete(ch),
  };
}

function engineDouble(): HostedEngine & { calls: [string, unknown][]; emit(e: JobEvent): void } {
  const calls: [string, unknown][] = [];
  const listeners = new Set<(e: JobEvent) => void>();
  return {
    calls,
    emit: (e) => listeners.forEach((l) => l(e)),
    async invoke(method, input) {
      calls.push([method, input]);
      if (method === 'data.import') throw new EngineError('FILE_FORMAT', 'a.csv, row 3, column "score": not a number', { file: 'a.csv', row: 3, column: 'score' });
      if (method === 'boom') throw new TypeError('x is undefined');
      return { ok: method };
    },
    cancel: () => true,
    jobs: () => [],
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
}

const rendererDir = '/opt/routeplan/out/renderer';
const page = rendererPageUrl(rendererDir);
const ourWindow = { webContents: { id: 1 } };
const top: SenderFrame = { url: page, parent: null };
const ev = (id: number, frame: SenderFrame | null) => ({ sender: { id }, senderFrame: frame });

function setup() {
  const ipcMain = fakeIpcMain();
  const engine = engineDouble();
  const dialogs = { pickFile: vi.fn(async () => '/data/a.csv'), saveFile: vi.fn(async () => '/tmp/out.csv') };
  const unbind = bindIpc(ipcMain as never, engine, trustedSender(() => ourWindow, page), dialogs);
  const call = (ch: string, payload: unknown, e = ev(1, top)) => ipcMain.handlers.get(ch)!(e, payload);
  return { ipcMain, engine, dialogs, unbind, call };
}

describe('IPC binding', () => {
  it('refuses senders that are not our window showing our page', async () => {
    const { call, engine } = setup();
    const untrusted = [
      ev(2, top), // another webContents
      ev(1, null), // a frame already gone
      ev(1, { url: page, parent: {} }), // an iframe in our window
      ev(1, { url: 'https://evil.example/', parent: null }), // navigated away
      ev(1, { url: 'file:///tmp/evil/index.html', parent: null }), // another local page
      ev(1, { url: 'not a url', parent: null }),
    ];
    for (const e of untrusted) {
      expect(await call(ipcChannels.invoke, { method: 'workspace.info', input: {} }, e)).toEqual({ error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame' } });
    }
    expect(engine.calls).toEqual([]);
    expect(await call(ipcChannels.invoke, { method: 'workspace.info', input: {} }, ev(1, { url: `${page}?x=1#data`, parent: null }))).toEqual({ result: { ok: 'workspace.info' } });
  });

  it('trusts the dev server origin only in dev mode', () => {
    const dev = trustedSender(() => ourWindow, page, 'http://localhost:5173/');
    expect(dev({ id: 1 } as never, { url: 'http://localhost:5173/index.html', parent: null })).toBe(true);
    expect(dev({ id: 1 } as never, { url: 'http://localhost:5174/', parent: null })).toBe(false);
    expect(trustedSender(() => ourWindow, page)({ id: 1 } as never, { url: 'http://localhost:5173/', parent: null })).toBe(false);
    expect(trustedSender(() => null, page)({ id: 1 } as never, top)).toBe(false);
  });

  it('refuses invalid payloads with INVALID_INPUT before they reach the engine', async () => {
    const { call, engine, dialogs } = setup();
    for (const bad of [undefined, null, 'workspace.info', { method: '' }, { method: 42, input: {} }]) {
      const r = await call(ipcChannels.invoke, bad);
      expect(r.error.code, JSON.stringify(bad)).toBe('INVALID_INPUT');
    }
    expect((await call(ipcChannels.cancel, { jobId: 'x' })).error.code).toBe('INVALID_INPUT');
    expect((await call(ipcChannels.saveFile, { defaultName: '', content: 'a' })).error.code).toBe('INVALID_INPUT');
    expect((await call(ipcChannels.pickFile, { title: 'x', shell: 'rm -rf /' })).error.code).toBe('INVALID_INPUT');
    expect(engine.calls).toEqual([]);
    expect(dialogs.pickFile).not.toHaveBeenCalled();
  });

  it('returns engine failures as {error:{code,message,details}}, unknown throws as INTERNAL', async () => {
    const { call } = setup();
    expect(await call(ipcChannels.invoke, { method: 'data.import', input: { file: 'a.csv' } })).toEqual({
      error: { code: 'FILE_FORMAT', message: 'a.csv, row 3, column "score": not a number', details: { file: 'a.csv', row: 3, column: 'score' } },
    });
    expect(await call(ipcChannels.invoke, { method: 'boom', input: {} })).toEqual({ error: { code: 'INTERNAL', message: 'x is undefined' } });
  });

  it('routes dialogs with validated options and answers with the chosen path', async () => {
    const { call, dialogs } = setup();
    expect(await call(ipcChannels.pickFile, { title: 'Import', filters: [{ name: 'CSV', extensions: ['csv'] }] })).toEqual({ result: '/data/a.csv' });
    expect(dialogs.pickFile).toHaveBeenCalledWith({ title: 'Import', filters: [{ name: 'CSV', extensions: ['csv'] }] });
    expect(await call(ipcChannels.saveFile, { defaultName: 'frontier.csv', content: 'a,b\n' })).toEqual({ result: '/tmp/out.csv' });
  });

  it('unbinds every channel it bound', () => {
    const { ipcMain, unbind } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([ipcChannels.cancel, ipcChannels.invoke, ipcChannels.jobs, ipcChannels.pickFile, ipcChannels.saveFile].sort());
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('forwards job events to a live window only', () => {
    const engine = engineDouble();
    const sent: unknown[] = [];
    let destroyed = false;
    forwardEvents(engine, () => ({ isDestroyed: () => destroyed, send: (ch: string, e: unknown) => sent.push([ch, e]) }) as never);
    engine.emit({ type: 'started', jobId: 'a', method: 'data.import' });
    destroyed = true;
    engine.emit({ type: 'cancelled', jobId: 'a', method: 'data.import' });
    expect(sent).toEqual([[ipcChannels.event, { type: 'started', jobId: 'a', method: 'data.import' }]]);
  });
});
