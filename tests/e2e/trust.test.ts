import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { routerbenchDir, scratchDir } from '../helpers/engine';
import { launchChromium, screenshot, startServe, watchPageErrors, type Served, patience } from './harness';

const nav = (page: Page, screen: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen, exact: true }).click();
const trainFiles = ['arc_challenge_train.csv', 'mbpp_train.csv', 'winogrande_train.csv'].map((f) => join(routerbenchDir, f));

// Issue 30 as a person meets it, on the demo workspace plus RouterBench, at 1280 x 720: several
// files in one upload, an inventory import that asks, catalog and inventory edits with undo,
// selectors that grey what cannot work, the plan's assumptions, tables that fit, the jobs tray,
// choices that survive a server restart, and a server lost in the middle of a job.
describe('e2e: screens a planner can trust', () => {
  const scratch = scratchDir('routeplan-e2e-trust-');
  const workspace = join(scratch.dir, 'w.sqlite');
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  const open = async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    errors = watchPageErrors(page);
    await page.goto(served.url);
  };

  beforeAll(async () => {
    served = await startServe(workspace);
    browser = await launchChromium();
    await open();
    await page.locator('[data-method="demo.create"][data-state="done"]').waitFor({ state: 'attached', timeout: patience });
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    scratch.cleanup();
  });

  it('imports three RouterBench train files in one upload as one dataset', async () => {
    await nav(page, 'Data');
    const cards = page.getByTestId('dataset');
    await expect.poll(() => cards.count(), { timeout: patience }).toBe(1);
    await page.setInputFiles('[data-testid=import-file]', trainFiles);
    await page.getByTestId('import-result').waitFor({ timeout: patience });
    expect(await page.getByTestId('import-result').innerText()).toMatch(/Imported arc_challenge_train\.csv \+ 2 more: 2,225 queries × 11 models/);
    // Named after the files (a browser upload has no folder name to go by).
    await page.getByTestId('dataset').locator('h3', { hasText: 'arc_challenge+mbpp+winogrande-train' }).waitFor({ timeout: patience });
    await expect.poll(() => cards.count(), { timeout: patience }).toBe(2);
    // The counts line refreshes on its own request after the cards; poll rather than read once.
    await expect.poll(() => page.getByTestId('workspace-counts').innerText(), { timeout: patience }).toMatch(/^2 datasets · /);
  });

  it('asks before an inventory import replaces the stored one, and replaces it when told', async () => {
    const file = join(scratch.dir, 'gpus.csv');
    writeFileSync(file, 'gpu_type,count,hourly_price,memory_gb\nB200,4,6.5,192\n');
    expect(await page.getByTestId('inventory').locator('tbody tr').count()).toBeGreaterThan(1);
    await page.setInputFiles('[data-testid=import-file]', file);
    const ask = page.getByTestId('inventory-confirm');
    await ask.waitFor({ timeout: patience });
    expect(await ask.innerText()).toMatch(/already has one/);
    await screenshot(page, '20-inventory-confirm');
    await page.getByTestId('inventory-replace').click();
    await expect.poll(() => page.getByTestId('inventory').locator('tbody tr').count(), { timeout: patience }).toBe(1);
    expect(await page.getByTestId('inventory').locator('tbody tr').first().innerText()).toMatch(/B200/);
  });

  it('edits the inventory and undoes it; refuses a bad catalog edit with its row and column', async () => {
    await page.getByTestId('inventory-edit').click();
    await page.getByTestId('inventory-table-editor').getByLabel('Count of B200').fill('24');
    await page.getByTestId('inventory-table-editor-save').click();
    const row = page.getByTestId('inventory').locator('tbody tr').first();
    await expect.poll(() => row.innerText(), { timeout: patience }).toMatch(/B200\s+24/);
    await page.getByTestId('inventory-undo').click();
    await expect.poll(() => row.innerText(), { timeout: patience }).toMatch(/B200\s+4\b/);

    const storedRow = await page.getByTestId('catalog').locator('tbody tr').first().innerText();
    await page.getByTestId('catalog-edit').click();
    const editor = page.getByTestId('catalog-table-editor');
    const firstModel = (await editor.locator('tbody th').first().innerText()).trim();
    // Readable at 1280 px: the editor's nine columns fit its panel, and no field cuts its value
    // (the GPU column once showed "A1(" for A100-80GB).
    const wrap = editor.locator('.table-wrap');
    expect(await wrap.evaluate((w) => w.scrollWidth <= w.clientWidth + 1)).toBe(true);
    expect(await editor.locator('input').evaluateAll((is) => is.filter((i) => i.scrollWidth > i.clientWidth + 1).map((i) => i.getAttribute('aria-label')))).toEqual([]);
    expect(await editor.locator('tbody tr').first().locator('input[data-field="gpuType"]').inputValue()).not.toBe('');
    await editor.scrollIntoViewIfNeeded();
    await screenshot(page, '21-catalog-editor-1280');
    await editor.getByLabel(`Output $/1M tok of ${firstModel}`).fill('-3');
    await editor.getByTestId('catalog-table-editor-save').click();
    const notice = editor.getByRole('alert');
    await notice.waitFor({ timeout: patience });
    // An edit, not a file: the notice says so.
    expect(await notice.locator('strong').innerText()).toBe('The edit could not be saved');
    expect(await notice.getByTestId('error-row').innerText()).toBe('1');
    expect(await notice.getByTestId('error-column').innerText()).toBe('price_out_per_m');
    await screenshot(page, '21-catalog-edit-refused');
    await editor.getByRole('button', { name: 'Cancel' }).click();
    // Nothing of the refused edit was stored.
    expect(await page.getByTestId('catalog').locator('tbody tr').first().innerText()).toBe(storedRow);
    // Restore a usable inventory for planning (a purchase-free demo plan needs the demo's GPUs).
    writeFileSync(join(scratch.dir, 'gpus.csv'), 'gpu_type,count,hourly_price,memory_gb\nH100-80GB,16,4.0,80\nL40S,16,1.2,48\nA100-80GB,16,2.5,80\n');
    await page.setInputFiles('[data-testid=import-file]', join(scratch.dir, 'gpus.csv'));
    await page.getByTestId('inventory-replace').click();
    await expect.poll(() => page.getByTestId('inventory').locator('tbody tr').count(), { timeout: patience }).toBe(3);
  });

  it('greys out a traffic dataset the catalog cannot plan for, says why, and plans on the one that fits', async () => {
    await nav(page, 'Capacity');
    const select = page.getByTestId('plan-dataset');
    await select.locator('option[data-compatible="false"]').first().waitFor({ state: 'attached', timeout: patience });
    // RouterBench's models are not in the demo's catalog: listed, disabled, with the reason.
    const greyed = select.locator('option[data-compatible="false"]');
    expect(await greyed.count()).toBe(1);
    expect(await greyed.first().isDisabled()).toBe(true);
    expect(await greyed.first().innerText()).toMatch(/none of its models is in the model catalog/);
    expect(await page.getByTestId('plan-dataset-greyed').innerText()).toMatch(/greyed/);
    expect(await select.locator('option:checked').innerText()).toMatch(/demo/i);
    await page.getByTestId('plan-traffic').fill('33');
    await page.getByTestId('plan-button').click();
    await page.getByTestId('optimise-summary').waitFor({ timeout: patience });
    await page.getByTestId('load-table').waitFor();
    // The plan's assumptions, per deployment, with their sources.
    expect(await page.getByTestId('quality-source').innerText()).toMatch(/per-task accuracy/);
    await expect.poll(() => page.getByTestId('assumptions-table').locator('tbody tr').count(), { timeout: patience }).toBeGreaterThan(0);
    expect(await page.getByTestId('assumptions-table').locator('thead').innerText()).toMatch(/Concurrency[\s\S]*Per instance/);
    // At 1280 px the Load-per-model table fits its panel: no column is cut off.
    for (const id of ['load-table', 'assumptions-table', 'inventory-editor']) {
      const fits = await page.getByTestId(id).evaluate((t) => t.scrollWidth <= (t.parentElement as HTMLElement).clientWidth + 1);
      expect(fits, id).toBe(true);
    }
    const headers = await page.getByTestId('load-table').locator('thead th').allInnerTexts();
    // The p90s at the planned load; no M/M/c mean wait under the performance model (it would be all dashes).
    expect(headers.join('|')).toMatch(/Utilisation.*p90 TTFT · TPOT.*Cost/);
    expect(headers.join('|')).not.toMatch(/Mean wait/);
    expect(await page.getByTestId('load-table').locator('tbody').innerText()).toMatch(/\d+(\.\d+)? (ms|s) · \d+(\.\d+)? (ms|s)/);
    expect(await page.getByTestId('whatif-cost').innerText()).toMatch(/\/month/);
    await screenshot(page, '22-capacity-1280');
  });

  it('folds finished jobs in the tray and clears them', async () => {
    const tray = page.getByTestId('job-tray');
    const folded = tray.getByTestId('tray-finished');
    await folded.waitFor();
    expect(await folded.locator('summary').innerText()).toMatch(/^\d+ finished jobs?$/);
    expect(await folded.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await tray.getByTestId('tray-clear').click();
    await expect.poll(() => tray.locator('[data-state="done"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('remembers the form choices in the workspace across a server restart', async () => {
    await nav(page, 'Plans');
    await page.getByTestId('plan-interval').selectOption('900');
    // The debounced write reaches the workspace well within this wait; the restart is what is tested.
    await page.waitForTimeout(1500);
    await page.close();
    await served.stop();
    served = await startServe(workspace, ['--no-demo']);
    await open();
    await nav(page, 'Capacity');
    await expect.poll(() => page.getByTestId('plan-traffic').inputValue(), { timeout: patience }).toBe('33');
    await nav(page, 'Plans');
    await expect.poll(() => page.getByTestId('plan-interval').inputValue(), { timeout: patience }).toBe('900');
  });

  it('tells a lost server from an error, marks the running job, and shows it interrupted after a restart', async () => {
    await nav(page, 'Predictor');
    // A training long enough to be cut: the demo with the default ensemble of 20.
    await page.getByTestId('train-ensemble').fill('20');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const running = page.getByTestId('job-tray').locator('[data-method="predictor.train"][data-state="running"]');
    await running.waitFor({ timeout: patience });
    served.proc.kill('SIGKILL');
    await page.getByTestId('connection-lost').waitFor({ timeout: patience });
    await page.getByTestId('job-tray').locator('[data-method="predictor.train"][data-state="lost"]').waitFor({ timeout: patience });
    expect(await page.getByTestId('connection-lost').count()).toBe(1);
    // A call made now fails quietly in its panel: the banner is the one place that says why.
    await nav(page, 'Routing');
    await page.waitForTimeout(1000);
    expect(await page.locator('main').innerText()).not.toMatch(/INTERNAL|Failed to fetch/);
    expect(await page.getByRole('alert').count()).toBe(1);
    await screenshot(page, '23-connection-lost');
    await page.close();
    served = await startServe(workspace, ['--no-demo']);
    await open();
    const interrupted = page.getByTestId('job-tray').locator('[data-method="predictor.train"][data-state="interrupted"]');
    await interrupted.waitFor({ timeout: patience });
    expect(await interrupted.innerText()).toMatch(/interrupted/);
    await screenshot(page, '24-interrupted-after-restart');
  });
});
