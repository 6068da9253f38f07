// Slow: from the demo workspace in Chromium over a real server: RouterBench imported by upload, a predictor trained, routing evaluated, capacity planned and a policy exported on the defaults (a policy predictor trained from the Policies screen).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { routerbenchDir } from '../helpers/engine';
import { openApp, screenshot, type OpenApp, patience } from './harness';

const nav = (page: Page, screen: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen, exact: true }).click();
const files = (split: 'train' | 'test') => ['arc_challenge', 'mbpp', 'winogrande'].map((t) => join(routerbenchDir, `${t}_${split}.csv`));
// Long work is awaited by its end state, never by a short deadline: these bound a stuck run only.
const long = { timeout: patience };

// The journey of issue 30 on the workspace a first start gives (the demo), in chromium: RouterBench
// imported as the CLI does (its three test files one dataset, then its three train files another),
// a predictor trained on the Train form's defaults (n-grams + sentence encoder, 20 members), routing
// evaluated, capacity planned, and a policy created and exported: the default predictor is one a
// policy cannot carry, so the Policies screen says why and trains one on the built-in n-grams with
// one button. No selector is touched: the defaults must be the choices that work.
describe('e2e: demo → RouterBench → train → evaluate → plan → export, on the defaults', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    app = await openApp('first-start.sqlite');
    page = app.page;
    await page.locator('[data-method="demo.create"][data-state="done"]').waitFor({ state: 'attached', timeout: patience });
  });
  afterAll(() => app?.close());

  it('imports RouterBench: three test files in one upload, three train files in another', async () => {
    await nav(page, 'Data');
    for (const [i, split] of (['test', 'train'] as const).entries()) {
      await page.setInputFiles('[data-testid=import-file]', files(split));
      await expect.poll(() => page.getByTestId('dataset').count(), long).toBe(2 + i);
    }
    const names = await page.getByTestId('dataset').locator('h3').allInnerTexts();
    expect(names).toEqual(expect.arrayContaining(['arc_challenge+mbpp+winogrande-train', 'arc_challenge+mbpp+winogrande-test']));
  });

  it('trains a predictor on the defaults: the newest dataset, n-grams + sentence encoder, 20 members', async () => {
    await nav(page, 'Predictor');
    // The default dataset is the most recent import: the train split.
    await expect.poll(async () => (await page.getByTestId('train-dataset').locator('option:checked').innerText()).trim(), long).toMatch(/-train/);
    expect(await page.getByTestId('train-featurizer').inputValue()).toBe('hybrid');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.getByTestId('job-tray').locator('[data-method="predictor.train"]').first().waitFor();
    // The new predictor is selected when its training ends.
    await page.getByTestId('predictor-detail').waitFor(long);
    await expect.poll(async () => page.getByTestId('predictor-select').locator('option:checked').innerText(), long).toMatch(/hybrid.*mlp × 20/);
  });

  it('evaluates routing with the defaults: the new predictor and the test data that has its models', async () => {
    await nav(page, 'Routing');
    const test = page.getByTestId('eval-dataset');
    await expect.poll(async () => (await test.locator('option:checked').innerText()).trim(), long).toMatch(/winogrande-test/);
    // The demo has other models: listed, greyed, with the reason.
    const demo = test.locator('option[data-compatible="false"]');
    expect(await demo.count()).toBeGreaterThan(0);
    expect(await demo.first().innerText()).toMatch(/lacks the predictor's/);
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.getByTestId('frontier-chart').locator('.main-svg').first().waitFor(long);
    // The best single model's cost per query is the total over the test queries divided by their number.
    const summary = await page.getByTestId('evaluation-summary').innerText();
    const perQuery = Number(/\$([\d.]+) per query/.exec(summary)![1]);
    const total = Number(/\$([\d.,]+) for all/.exec(summary)![1].replace(/,/g, ''));
    const n = Number(/([\d,]+) test queries/.exec(summary)![1].replace(/,/g, ''));
    // Printed to three significant digits: equal within that rounding.
    expect(Math.abs(perQuery - total / n) / (total / n)).toBeLessThan(0.01);
    expect(perQuery).toBeLessThan(0.1);
    // The ranked table fits beside the chart: no column cut off.
    expect(await page.getByTestId('frontier-table').evaluate((t) => t.scrollWidth <= (t.parentElement as HTMLElement).clientWidth + 1)).toBe(true);
    await screenshot(page, '30-journey-routing');
  });

  it('plans capacity on the default traffic mix, which is the one the catalog covers', async () => {
    await nav(page, 'Capacity');
    await expect.poll(async () => page.getByTestId('plan-dataset').locator('option:checked').innerText(), long).toMatch(/demo/i);
    await page.getByTestId('plan-button').click();
    await page.getByTestId('optimise-summary').waitFor(long);
    await page.getByTestId('whatif-results').waitFor();
    // The what-if re-evaluates once the plan lands on the sliders: the state it settles in has no alert.
    await expect.poll(() => page.locator('main').getByRole('alert').allInnerTexts(), long).toEqual([]);
    await screenshot(page, '31-journey-capacity');
  });

  it('on the default predictor, the Policies screen says why a policy cannot carry it and trains one that can with one button', async () => {
    await nav(page, 'Policies');
    const select = page.getByTestId('policy-predictor');
    // The newest predictor is chosen, greyed with its reason, and the form says what to do.
    await expect.poll(async () => select.locator('option:checked').innerText(), long).toMatch(/hybrid.*a policy carries built-in n-grams only/);
    expect(await select.locator('option:checked').getAttribute('data-compatible')).toBe('false');
    const notice = page.getByTestId('policy-predictor-uncarriable');
    expect(await notice.innerText()).toMatch(/reads n-grams \+ the sentence encoder; a policy carries built-in n-grams only/);
    expect(await page.getByRole('button', { name: 'Create policy' }).isDisabled()).toBe(true);
    await screenshot(page, '32-journey-policy-uncarriable');
    await page.getByTestId('train-policy-predictor').click();
    await page.getByTestId('job-tray').locator('[data-method="predictor.train"][data-state="running"]').first().waitFor();
    await screenshot(page, '33-journey-policy-predictor-training');
    // Same settings on the built-in features; selected when it ends, and the notice goes.
    await expect.poll(async () => select.locator('option:checked').innerText(), long).toMatch(/mlp-builtin-b20-s1 · mlp × 20$/);
    expect(await select.locator('option:checked').getAttribute('data-compatible')).toBe('true');
    await notice.waitFor({ state: 'detached' });
  });

  it('creates a policy from the defaults and exports the policy file', async () => {
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByTestId('policy-detail').waitFor(long);
    // The policy file itself: gateway configs also need a provider per model, which RouterBench's
    // open models lack without a deployment mapping (tests/e2e/journey.test.ts exports one).
    const download = page.waitForEvent('download', long);
    await page.getByTestId('export-policy-json').click();
    const policy = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { models: { id: string }[] };
    expect(policy.models).toHaveLength(11);
    await screenshot(page, '34-journey-policy');
    expect(app.errors).toEqual([]);
  });
});
