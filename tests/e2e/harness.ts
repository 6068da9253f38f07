import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { scratchDir } from '../helpers/engine';
import { repoRoot } from '../helpers/engine';

/**
 * How long an end-to-end step may wait for a state (a job done, a chart drawn): the suite's own test
 * timeout, so a slow machine makes a run slower, never red; a state that never comes still fails.
 */
export const patience = Number(process.env.ROUTEPLAN_E2E_PATIENCE_MS ?? 1_800_000);

export const screenshotDir = join(repoRoot, 'tests/e2e/screenshots');

/** The args Debian's chromium needs as root, headless, with no network chatter (see toolchain.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Served {
  url: string;
  port: number;
  proc: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Runs the built CLI's `serve` on a workspace and reads the URL it prints as JSON. */
export function startServe(workspace: string, extra: string[] = [], opts: { rememberAddress?: { appData: string } } = {}): Promise<Served> {
  // By default any free port and a fresh token; rememberAddress lets serve reuse the workspace's
  // last address, kept under the given app-data folder (never the real one).
  const port = opts.rememberAddress ? [] : ['--port', '0'];
  const env = opts.rememberAddress ? { ...process.env, ROUTEPLAN_APP_DATA: opts.rememberAddress.appData } : process.env;
  const proc = spawn(process.execPath, [join(repoRoot, 'bin/routeplan.js'), 'serve', '--workspace', workspace, '--json', ...port, ...extra], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env });
  let err = '';
  proc.stderr!.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 30_000);
    proc.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const { url, port } = JSON.parse(line) as { url: string; port: number };
      resolve({
        url,
        port,
        proc,
        stderr: () => err,
        stop: () =>
          new Promise((r) => {
            if (proc.exitCode != null) return r();
            proc.once('exit', () => r());
            proc.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A full-page screenshot under tests/e2e/screenshots (git-ignored), for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // A window as tall as the page, so the sticky sidebar spans it as it would on a tall screen.
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (viewport && height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.waitForTimeout(250);
  await page.screenshot({ path, fullPage: true });
  if (viewport && height > viewport.height) await page.setViewportSize(viewport);
  return path;
}

/** Fails the test on any uncaught page error or console error (a broken screen must not pass). */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`http ${r.status()}: ${new URL(r.url()).pathname}`);
  });
  return errors;
}

/** Selects the option whose text contains `text` (labels carry counts that tests should not retype). */
export async function selectByText(select: import('playwright-core').Locator, text: string): Promise<void> {
  // Options arrive with the screen's first answer from the engine: wait for them.
  await select.locator('option', { hasText: text }).first().waitFor({ state: 'attached', timeout: 15_000 }).catch(() => undefined);
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '' })));
  const match = options.find((o) => o.text.includes(text));
  if (!match) throw new Error(`no option containing "${text}" in [${options.map((o) => o.text).join(' | ')}]`);
  await select.selectOption(match.value);
}

export interface OpenApp {
  served: Served;
  browser: Browser;
  page: Page;
  /** Page errors, failed console lines and HTTP errors seen so far. */
  errors: string[];
  dir: string;
  close(): Promise<void>;
}

/** A scratch workspace served by the built CLI and opened in chromium: the setup of every e2e test. */
export async function openApp(workspaceFile: string, serveArgs: string[] = [], viewport = { width: 1440, height: 900 }): Promise<OpenApp> {
  const scratch = scratchDir('routeplan-e2e-');
  const served = await startServe(join(scratch.dir, workspaceFile), serveArgs);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  page.setDefaultTimeout(patience);
  const errors = watchPageErrors(page);
  await page.goto(served.url);
  return {
    served,
    browser,
    page,
    errors,
    dir: scratch.dir,
    async close() {
      await browser.close();
      await served.stop();
      scratch.cleanup();
    },
  };
}
