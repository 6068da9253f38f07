import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannels, type RouteplanBridge } from '../../src/shared/ipc';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]) => ({ result: 'ok' }));
const on = vi.fn();
const removeListener = vi.fn();
const getPathForFile = vi.fn(() => '/home/u/a.csv');

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke, on, removeListener, send: vi.fn(), sendSync: vi.fn() },
  webUtils: { getPathForFile },
}));

describe('preload', () => {
  let bridge: RouteplanBridge;
  beforeAll(async () => {
    await import('../../src/preload/index');
    bridge = exposed.routeplan as RouteplanBridge;
  });

  it('exposes exactly one narrow object, with functions only and no ipcRenderer', () => {
    expect(Object.keys(exposed)).toEqual(['routeplan']);
    expect(Object.keys(bridge).sort()).toEqual(['cancel', 'invoke', 'jobs', 'onEvent', 'onMenu', 'pathForFile', 'pickFile', 'saveFile']);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/send|ipc|require/i);
  });

  it('sends each call on its own fixed channel with a structured payload', async () => {
    await bridge.invoke('datasets.list', {});
    await bridge.cancel('7b0e3f1e-8a8e-4c35-9a55-2f3f7d7e0b11');
    await bridge.jobs();
    await bridge.pickFile({ title: 'Import' });
    expect(invoke.mock.calls).toEqual([
      [ipcChannels.invoke, { method: 'datasets.list', input: {} }],
      [ipcChannels.cancel, { jobId: '7b0e3f1e-8a8e-4c35-9a55-2f3f7d7e0b11' }],
      [ipcChannels.jobs],
      [ipcChannels.pickFile, { title: 'Import' }],
    ]);
  });

  it('hands listeners the payload only, never the IPC event, and unsubscribes', () => {
    const seen: unknown[] = [];
    const off = bridge.onEvent((e) => seen.push(e));
    const [channel, wrapped] = on.mock.calls[0] as [string, (e: unknown, v: unknown) => void];
    expect(channel).toBe(ipcChannels.event);
    wrapped({ sender: { send: () => 'leak' } }, { type: 'started' });
    expect(seen).toEqual([{ type: 'started' }]);
    off();
    expect(removeListener).toHaveBeenCalledWith(ipcChannels.event, wrapped);
  });

  it("resolves a dropped file's path through webUtils", () => {
    const file = {} as File;
    expect(bridge.pathForFile(file)).toBe('/home/u/a.csv');
    expect(getPathForFile).toHaveBeenCalledWith(file);
  });
});
