import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../helpers/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, type OpenApp, patience } from './harness';
import { openDemoApp, plotTraces as traces } from './demo-app';

const money = (s: string) => Number(s.replace(/[^\d.]/g, ''));

// The Plans screen on the demo workspace: its week-long demand planned as a static fleet at 1 h intervals.
describe('e2e: plans over time on the demo workspace', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    app = await openDemoApp();
    page = app.page;
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Plans' }).click();
  });
  afterAll(() => app?.close());

  it('plans the demo week and shows its cost and its demand against capacity', async () => {
    await page.getByTestId('demand-list').getByText('demo-week').waitFor({ timeout: patience });
    expect(await page.getByTestId('demand-list').getByRole('radio').first().isChecked()).toBe(true);
    expect(await page.getByTestId('plan-mode').inputValue()).toBe('static');
    expect(await page.getByTestId('plan-interval').inputValue()).toBe('3600');
    // A plan can be cancelled while it runs; the screen says so and offers to plan again.
    await page.getByTestId('plan-create').click();
    await page.getByTestId('plan-cancel').click();
    await page.getByText('Planning was cancelled.').waitFor({ timeout: patience });
    expect(await page.getByTestId('plan-create').isEnabled()).toBe(true);
    await page.getByTestId('plan-create').click();
    await page.getByTestId('plan-summary').waitFor({ timeout: patience });
    // What the quality costs: the cheapest plan for the same traffic, planned beside it.
    expect(await page.getByTestId('plan-burst-window').inputValue()).toBe('60');
    expect(await page.getByTestId('plan-quality-premium').innerText()).toMatch(/quality costs \$[\d,.]+\/month more/);

    // The month's cost: the tiers shown under the total add up to it.
    const monthly = page.getByTestId('plan-monthly');
    const total = money(await monthly.locator('.value').innerText());
    expect(total).toBeGreaterThan(0);
    const parts = (await monthly.locator('.small').innerText()).match(/\$[\d,.]+/g)!.map(money);
    expect(parts).toHaveLength(4);
    expect(Math.abs(parts.reduce((a, b) => a + b, 0) - total)).toBeLessThanOrEqual(4);
    await page.getByTestId('plan-cost-chart').locator('.main-svg').first().waitFor({ timeout: patience });
    const bars = await traces(page, 'plan-cost-chart');
    expect(Math.abs(bars.flatMap((b) => b.y).reduce<number>((a, b) => a + (b ?? 0), 0) - total)).toBeLessThanOrEqual(total * 0.01);

    // Demand: arrivals at 5 min over the first day, each model's capacity over 24 plan intervals,
    // and capacity never below the arrivals the plan routes to the model.
    const chart = page.getByTestId('plan-demand-chart');
    await expect.poll(async () => (await traces(page, 'plan-demand-chart')).length, { timeout: patience }).toBeGreaterThan(2);
    const drawn = await traces(page, 'plan-demand-chart');
    expect(drawn.find((t) => t.name === 'arrivals, all models')!.y.length).toBe(288);
    expect(drawn.find((t) => t.name === 'daily peak')!.y.length).toBe(1);
    const capacities = drawn.filter((t) => t.name.endsWith(' capacity'));
    expect(capacities.length).toBeGreaterThan(0);
    for (const c of capacities) {
      const arrivals = drawn.find((t) => t.name === c.name.replace(/ capacity$/, ' arrivals'))!;
      expect(c.y.length).toBe(25);
      c.y.forEach((cap, i) => expect(cap!).toBeGreaterThanOrEqual(arrivals.y[i]!));
    }
    await chart.locator('.main-svg').first().waitFor();
    await page.getByTestId('window-7d').check();
    await expect.poll(async () => (await traces(page, 'plan-demand-chart')).find((t) => t.name === 'daily peak')?.y.length, { timeout: patience }).toBe(7);
    await screenshot(page, '20-plans');
    expect(app.errors).toEqual([]);
  });

  it('downloads the plan as JSON that carries what the screen shows', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('plan-download').click()]);
    const plan = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(plan.kind).toBe('routeplan-plan');
    expect(plan.intervals).toHaveLength(168);
    expect(Math.round(plan.monthlyCost)).toBe(Math.round(money(await page.getByTestId('plan-monthly').locator('.value').innerText())));
  });

  it('re-plans with no reservation and a 3-year term, side by side: a cheaper term never costs more', async () => {
    await page.getByTestId('reserved-compare').click();
    const table = page.getByTestId('reserved-table');
    const monthly = async () => (await table.locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.querySelectorAll('td')[1]?.textContent ?? ''))).map((t) => (/^\$/.test(t) ? money(t) : null));
    await expect.poll(async () => (await monthly()).every((v) => v != null), { timeout: patience }).toBe(true);
    const [none, oneYear, threeYears] = (await monthly()) as number[];
    expect(oneYear).toBeLessThanOrEqual(none);
    expect(threeYears).toBeLessThanOrEqual(oneYear);
    await page.getByTestId('reserved-chart').locator('.main-svg').first().waitFor({ timeout: patience });
    expect((await traces(page, 'reserved-chart'))[0].x).toEqual(['on-demand only', '1-year reserved', '3-year reserved']);
  });

  it('replays two hours and shows attainment replayed against promised', async () => {
    await page.getByTestId('replay-hours').fill('2');
    await page.getByTestId('replay-button').click();
    await page.getByTestId('replay-totals').waitFor({ timeout: patience });
    await page.getByTestId('replay-attainment-chart').locator('.main-svg').first().waitFor({ timeout: patience });
    const [replayed, promised] = await traces(page, 'replay-attainment-chart');
    expect(replayed.name).toBe('replayed');
    expect(promised.name).toBe('promised');
    // Two hourly intervals, each a share of requests.
    expect(replayed.x).toEqual([0, 1]);
    for (const v of [...replayed.y, ...promised.y]) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
    const requests = Number((await page.getByTestId('replay-requests').locator('.value').innerText()).replace(/,/g, ''));
    expect(requests).toBeGreaterThan(0);
    await page.getByTestId('replay-utilisation-chart').locator('.main-svg').first().waitFor();
    await screenshot(page, '21-plans-replay');
    expect(app.errors).toEqual([]);
  });

  it('imports a trace and creates a typed profile, each becoming the demand to plan for', async () => {
    const list = page.getByTestId('demand-list');
    const chosen = () => list.locator('tbody tr').filter({ has: page.locator('input:checked') }).locator('td').nth(1).innerText();
    await page.getByTestId('demand-import-file').setInputFiles(resolve(repoRoot, '../shared/data/traces/azure2023_AzureLLMInferenceTrace_code.csv'));
    await expect.poll(chosen, { timeout: patience }).toMatch(/azure2023_AzureLLMInferenceTrace_code/);
    const row = list.locator('tbody tr').filter({ hasText: 'azure2023_AzureLLMInferenceTrace_code' });
    expect(await row.locator('td').nth(2).innerText()).toBe('trace (azure)');
    expect(Number((await row.locator('td').nth(4).innerText()).replace(/,/g, ''))).toBeGreaterThan(1000);

    await page.getByTestId('profile-daily').fill('500000');
    await page.getByTestId('profile-create').click();
    await expect.poll(chosen, { timeout: patience }).toMatch(/profile/);
    // Three months of a growing profile at half a million a day: about 45M requests.
    const requests = Number((await list.locator('tbody tr').first().locator('td').nth(4).innerText()).replace(/,/g, ''));
    expect(requests).toBeGreaterThan(3 * 30 * 500_000);
    expect(app.errors).toEqual([]);
  });
});
