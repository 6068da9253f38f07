import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { routerbenchDir } from '../helpers/engine';
import { openApp, screenshot, type OpenApp, patience } from './harness';
import type { RouteplanBridge } from '../../src/shared/ipc';

declare global {
  interface Window {
    __nextPick: string | null;
    __saved: { defaultName: string; content: string }[];
    __menu: (command: string) => void;
  }
}

/**
 * The renderer's desktop path in a real browser: a stand-in for the preload's window.routeplan
 * (same interface, {result}|{error} answers) carries calls to the engine over the test server, so
 * the IPC client, native-dialog imports and save dialogs run as they would in Electron.
 */
function installBridge(token: string) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const post = (path: string, body: unknown) => fetch(path, { method: 'POST', headers, body: JSON.stringify(body) }).then((r) => r.json());
  const menuListeners = new Set<(c: string) => void>();
  window.__nextPick = null;
  window.__saved = [];
  window.__menu = (c) => menuListeners.forEach((l) => l(c));
  const bridge: RouteplanBridge = {
    invoke: (method, input) => post('/api/invoke', { method, input }),
    cancel: (jobId) => post('/api/cancel', { jobId }),
    jobs: () => fetch('/api/jobs', { headers }).then((r) => r.json()),
    onEvent(listener) {
      const source = new EventSource(`/api/events?token=${token}`);
      source.addEventListener('job', (m) => listener(JSON.parse((m as MessageEvent).data)));
      return () => source.close();
    },
    onMenu(listener) {
      menuListeners.add(listener as (c: string) => void);
      return () => menuListeners.delete(listener as (c: string) => void);
    },
    pickFile: async () => ({ result: window.__nextPick }),
    saveFile: async (o) => (window.__saved.push({ defaultName: o.defaultName, content: o.content }), { result: `/home/user/${o.defaultName}` }),
    pathForFile: () => '',
  };
  Object.defineProperty(window, 'routeplan', { value: Object.freeze(bridge) });
}

describe('e2e: the renderer through the desktop bridge', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    app = await openApp('w.sqlite', ['--no-demo']);
    page = app.page;
    await page.addInitScript(installBridge, app.served.url.split('token=')[1]);
    await page.goto(app.served.url.split('?')[0]);
  });
  afterAll(() => app?.close());

  it('imports through the native file dialog by path, and exports through the save dialog', async () => {
    await page.getByText('No datasets yet').waitFor();
    // In desktop mode the import control is a button that opens the dialog, not a file input.
    expect(await page.getByTestId('import-file').count()).toBe(0);
    const file = join(routerbenchDir, 'mbpp_train.csv');
    await page.evaluate((f) => (window.__nextPick = f), file);
    await page.getByRole('button', { name: 'Choose file…' }).click();
    await page.getByTestId('import-result').waitFor({ timeout: patience });
    expect(await page.getByTestId('dataset').locator('h3').innerText()).toBe('mbpp_train');
    await page.getByTestId('dataset').getByRole('button', { name: 'CSV' }).click();
    await expect.poll(() => page.evaluate(() => window.__saved.length)).toBe(1);
    const saved = await page.evaluate(() => window.__saved[0]);
    expect(saved.defaultName).toBe('dataset-mbpp_train.csv');
    expect(saved.content.split('\n')[0]).toBe('model,accuracy,mean_cost_usd,labelled');
    expect(saved.content.trim().split('\n')).toHaveLength(12);
    await screenshot(page, '30-desktop-bridge-data');
  });

  it('refuses a dialog-picked bad path with the engine error in place', async () => {
    await page.evaluate(() => (window.__nextPick = '/nonexistent/routerbench.csv'));
    await page.getByRole('button', { name: 'Choose file…' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: patience });
    expect(await alert.innerText()).toContain('routerbench.csv');
  });

  it('opens a new workspace from the app menu through the save dialog', async () => {
    const next = join(app.dir, 'from-menu.sqlite');
    await page.evaluate((f) => (window.__nextPick = f), next);
    await page.evaluate(() => window.__menu('new-workspace'));
    await expect.poll(() => page.getByTestId('workspace-path').innerText()).toContain('from-menu.sqlite');
    await page.getByText('No datasets yet').waitFor();
    expect(app.errors).toEqual([]);
  });
});
