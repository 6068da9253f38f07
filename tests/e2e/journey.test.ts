// Slow: the whole planner journey in Chromium over a real server: imports, two trainings (one hybrid), an evaluation, allocation and an export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { routerbenchDir } from '../helpers/engine';
import { openApp, screenshot, selectByText, type OpenApp, patience } from './harness';

const nav = (page: Page, screen: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen, exact: true }).click();

// The whole journey a planner takes, in Debian's chromium through the browser mode, on RouterBench:
// import -> train -> evaluate -> export a policy, a screenshot per screen.
describe('e2e: the planner journey on RouterBench', () => {
  let app: OpenApp;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    app = await openApp('w.sqlite', ['--no-demo']);
    ({ page, errors } = app);
  });
  afterAll(() => app?.close());

  it('imports the arc_challenge train and test files', async () => {
    // The app has loaded and reached the engine once the empty workspace says so.
    await page.getByText('No datasets yet').waitFor({ timeout: patience });
    for (const [i, f] of ['arc_challenge_train.csv', 'arc_challenge_test.csv'].entries()) {
      await page.setInputFiles('[data-testid=import-file]', join(routerbenchDir, f));
      await expect.poll(() => page.getByTestId('dataset').count(), { timeout: patience }).toBe(i + 1);
    }
    const names = await page.getByTestId('dataset').locator('h3').allInnerTexts();
    expect(names.sort()).toEqual(['arc_challenge_test', 'arc_challenge_train']);
  });

  it('trains a predictor with progress in the tray, surviving navigation, and shows AUC and reliability', async () => {
    await nav(page, 'Predictor');
    await selectByText(page.getByTestId('train-dataset'), 'arc_challenge_train');
    // the journey ends in a policy export, which needs the built-in featuriser
    await selectByText(page.getByTestId('train-featurizer'), 'built-in n-grams (policies)');
    await page.getByTestId('train-ensemble').fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const trayJob = page.getByTestId('job-tray').locator('[data-method="predictor.train"]');
    await trayJob.waitFor();
    // Progress arrives over the event stream while it runs.
    await trayJob.locator('[role=progressbar]:not([aria-valuenow="0"])').waitFor({ timeout: patience });
    // Leave the screen while it trains: the tray keeps the job, the screen finds it again on return.
    await nav(page, 'Data');
    await nav(page, 'Predictor');
    await page.getByTestId('predictor-detail').waitFor({ timeout: patience });
    expect(await trayJob.getAttribute('data-state')).toBe('done');
    const aucRows = page.getByTestId('per-model-auc').locator('tbody tr');
    expect(await aucRows.count()).toBe(11);
    for (const cell of await aucRows.locator('td:nth-child(3)').allInnerTexts()) {
      const auc = Number(cell);
      expect(auc).toBeGreaterThan(0.3);
      expect(auc).toBeLessThanOrEqual(1);
    }
    await page.getByTestId('reliability-chart').locator('.main-svg').first().waitFor({ timeout: patience });
    // Two calibration curves, the diagonal and the bin counts.
    expect(await page.getByTestId('reliability-chart').locator('.scatterlayer .trace').count()).toBe(3);
    await screenshot(page, '10-predictor');
  });

  it('cancels a training from the tray and stores nothing', async () => {
    const before = await page.getByTestId('predictor-select').locator('option').count();
    await page.getByTestId('train-ensemble').fill('20');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const running = page.getByTestId('job-tray').locator('[data-method="predictor.train"][data-state="running"]');
    await running.waitFor();
    await running.getByRole('button', { name: /Cancel/ }).click();
    await page.getByTestId('job-tray').locator('[data-method="predictor.train"][data-state="cancelled"]').waitFor({ state: 'attached', timeout: patience });
    await page.getByText('Training was cancelled; nothing was stored.').waitFor();
    expect(await page.getByTestId('predictor-select').locator('option').count()).toBe(before);
    await page.getByTestId('train-ensemble').fill('3');
  });

  it('evaluates routing and draws the frontier of every strategy and single model', async () => {
    await nav(page, 'Routing');
    await selectByText(page.getByTestId('eval-dataset'), 'arc_challenge_test');
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.getByTestId('frontier-chart').locator('.main-svg').first().waitFor({ timeout: patience });
    const table = page.getByTestId('frontier-table').locator('tbody tr');
    await expect.poll(() => table.count()).toBeGreaterThanOrEqual(4);
    // The slider moves the table to another budget; accuracy never exceeds the oracle's 100 %.
    const before = await page.getByTestId('budget-value').innerText();
    await page.getByRole('slider').first().focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('budget-value').innerText()).not.toBe(before);
    for (const cell of await table.locator('td:nth-child(2)').allInnerTexts()) expect(Number.parseFloat(cell)).toBeLessThanOrEqual(100);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV', exact: true }).first().click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    expect(csv.split('\n')[0]).toBe('strategy,kind,budget_fraction,accuracy,accuracy_std,accuracy_vs_best,cost_fraction,cost_fraction_std,within_budget_share,seeds');
    expect(csv).toContain('single');
    // The chart itself as PNG and SVG, through plotly's own renderer.
    const png = page.waitForEvent('download');
    await page.getByRole('button', { name: 'PNG', exact: true }).first().click();
    const pngBytes = readFileSync(await (await png).path());
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(pngBytes.length).toBeGreaterThan(10_000);
    const svg = page.waitForEvent('download');
    await page.getByRole('button', { name: 'SVG', exact: true }).first().click();
    const svgText = readFileSync(await (await svg).path(), 'utf8');
    expect(svgText).toMatch(/^<svg/);
    expect(svgText).toContain('NDCH');
    await screenshot(page, '11-routing');
    await page.getByLabel('Theme').selectOption('dark');
    await page.waitForTimeout(300);
    await screenshot(page, '11-routing-dark');
    await page.getByLabel('Theme').selectOption('light');
  });

  it('explains on the Capacity screen what a plan needs that RouterBench lacks', async () => {
    await nav(page, 'Capacity');
    await page.getByText('No plan yet').waitFor();
    await page.getByTestId('plan-button').click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: patience });
    // RouterBench carries no model catalog or GPU inventory: the failure says so instead of planning nothing.
    expect(await alert.innerText()).toMatch(/catalog|deployment|inventory|GPU/i);
    await screenshot(page, '12-capacity-needs-catalog');
  });

  it('plans capacity for RouterBench once a catalog and an inventory are imported', async () => {
    // Test inputs: list prices per 1M tokens for the API models, GPU profiles for the open ones.
    const catalog = join(app.dir, 'routerbench-catalog.csv');
    writeFileSync(
      catalog,
      [
        'model,price_in_per_m,price_out_per_m,gpu_type,gpus_per_instance,slots_per_instance,decode_tokens_per_s,prefill_tokens_per_s,rate_limit_qps',
        'gpt-4-1106-preview,10,30,,,,,,',
        'gpt-3.5-turbo-1106,1,2,,,,,,',
        'claude-v2,8,24,,,,,,',
        'claude-v1,8,24,,,,,,',
        'claude-instant-v1,0.8,2.4,,,,,,',
        'meta/llama-2-70b-chat,0.9,0.9,A100-80GB,4,32,30,2500,',
        'mistralai/mixtral-8x7b-chat,0.6,0.6,A100-80GB,2,32,45,3000,',
        'mistralai/mistral-7b-chat,0.2,0.2,L40S,1,32,70,5000,',
        'zero-one-ai/Yi-34B-Chat,0.8,0.8,A100-80GB,2,32,35,2500,',
        'WizardLM/WizardLM-13B-V1.2,0.3,0.3,L40S,1,32,55,4000,',
        'meta/code-llama-instruct-34b-chat,0.8,0.8,A100-80GB,2,32,35,2500,',
      ].join('\n') + '\n',
    );
    const inventory = join(app.dir, 'routerbench-gpus.json');
    writeFileSync(inventory, JSON.stringify([{ gpu_type: 'A100-80GB', count: 16, hourly_price: 2.2, memory_gb: 80 }, { gpu_type: 'L40S', count: 8, hourly_price: 1.1, memory_gb: 48 }]));
    await nav(page, 'Data');
    for (const [file, format, table] of [[catalog, 'catalog', 'catalog'], [inventory, 'inventory', 'inventory']] as const) {
      await page.getByTestId('import-format').selectOption(format);
      await page.setInputFiles('[data-testid=import-file]', file);
      await page.getByTestId(table).waitFor({ timeout: patience });
    }
    expect(await page.getByTestId('catalog').locator('tbody tr').count()).toBe(11);
    await page.getByTestId('import-format').selectOption('auto');
    await nav(page, 'Capacity');
    await selectByText(page.getByTestId('plan-dataset'), 'arc_challenge_train');
    await page.getByTestId('plan-button').click();
    await page.getByTestId('optimise-summary').waitFor({ timeout: patience });
    const quality = page.getByTestId('whatif-quality').locator('.value');
    await expect.poll(async () => Number.parseFloat(await quality.innerText()), { timeout: patience }).toBeGreaterThan(0);
    expect(Number.parseFloat(await quality.innerText())).toBeLessThanOrEqual(100);
    await page.getByTestId('utilisation-heatmap').locator('.main-svg').first().waitFor({ timeout: patience });
    await screenshot(page, '12-capacity');
  });

  it('creates a policy, previews its decisions and exports a LiteLLM config', async () => {
    await nav(page, 'Policies');
    await page.getByTestId('policy-name').fill('arc-policy');
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByTestId('policy-detail').waitFor({ timeout: patience });
    await page.getByRole('button', { name: 'Preview routing' }).click();
    const decisions = page.getByTestId('preview-table').locator('tbody tr');
    await page.locator('[data-testid=preview-table], [role=alert]').first().waitFor({ timeout: patience });
    expect(await page.getByRole('alert').allInnerTexts()).toEqual([]);
    await expect.poll(() => decisions.count()).toBe(4);
    const models = await decisions.locator('td:nth-child(2)').allInnerTexts();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-litellm').click();
    const config = readFileSync(await (await download).path(), 'utf8');
    for (const m of new Set(models)) expect(config).toContain(m);
    await page.getByTestId('export-status').waitFor();
    await screenshot(page, '13-policies');
  });

  it('trains on the default features (n-grams + sentence encoder) with encoding progress; policies still offer only built-in predictors', async () => {
    await nav(page, 'Predictor');
    await selectByText(page.getByTestId('train-dataset'), 'arc_challenge_test');
    await selectByText(page.getByTestId('train-featurizer'), 'sentence encoder (default)');
    await page.getByTestId('train-ensemble').fill('2');
    // The "texts encoded" label is transient (gone once encoding ends), so a watcher in the page
    // records that it was shown at all, however fast or slow the machine, instead of a deadline.
    await page.evaluate(() => {
      const w = window as unknown as { sawEncoding?: boolean };
      const look = () => (w.sawEncoding ||= /texts encoded/.test(document.querySelector('[data-testid=train-progress]')?.textContent ?? ''));
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => page.getByTestId('predictor-select').locator('option').count(), { timeout: patience }).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { sawEncoding?: boolean }).sawEncoding)).toBe(true);
    await selectByText(page.getByTestId('predictor-select'), 'mlp-hybrid-b2');
    await page.getByTestId('predictor-detail').getByText('hybrid features').waitFor({ timeout: patience });
    await screenshot(page, '10-predictor-hybrid');
    await nav(page, 'Policies');
    const options = page.getByRole('region', { name: 'Create a policy' }).getByRole('combobox', { name: 'Predictor' }).locator('option');
    // the list arrives with the screen's first answer from the engine
    await expect.poll(() => options.count(), { timeout: patience }).toBe(2);
    // The hybrid predictor stays listed, greyed with its reason: only the built-in one can be chosen.
    const listed = await options.evaluateAll((os) => os.map((o) => ({ text: o.textContent ?? '', disabled: (o as HTMLOptionElement).disabled })));
    expect(listed.filter((o) => !o.disabled).map((o) => o.text)).toEqual([expect.stringContaining('builtin')]);
    expect(listed.find((o) => o.disabled)?.text).toMatch(/hybrid/);
  });

  it('shows every step of the guide done and no page errors', async () => {
    const guide = page.getByRole('navigation', { name: 'Guided first run' });
    expect(await guide.locator('li.done').count()).toBeGreaterThanOrEqual(4);
    expect(errors).toEqual([]);
  });
});
