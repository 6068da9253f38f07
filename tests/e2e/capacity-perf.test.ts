import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, type OpenApp, patience } from './harness';
import { openDemoApp, plotTraces as traces } from './demo-app';

const pct = (s: string) => Number(s.replace(/[^\d.]/g, ''));

// Capacity on the demo workspace: what optimisation buys over hand-drawn baselines, and each
// deployment's throughput-latency curve and memory.
describe('e2e: capacity baselines and serving performance', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    app = await openDemoApp();
    page = app.page;
    await page.keyboard.press('Alt+4');
    await page.getByTestId('plan-button').click();
    await page.getByTestId('optimise-summary').waitFor({ timeout: patience });
  });
  afterAll(() => app?.close());

  it('sets the optimised plan beside the uniform and best-single baselines, and loads one onto the sliders', async () => {
    const summary = await page.getByTestId('optimise-summary').innerText();
    expect(summary).toMatch(/^(Optimal plan|Best plan found)\s*i?: quality [\d.]+ % \((time limit reached, )?gap [\d.]+ %/);
    // The solver's words carry their explanation on hover.
    const tips = await page.getByTestId('optimise-summary').getByTestId('info-tip').evaluateAll((ts) => ts.map((t) => t.getAttribute('aria-label') ?? ''));
    expect(tips.some((t) => /^(optimal|best found): /.test(t))).toBe(true);
    expect(tips.some((t) => t.startsWith('gap: '))).toBe(true);
    // Each baseline in the summary with what it gives up in quality and in money, not points alone.
    const said = await page.getByTestId('summary-baseline').allInnerTexts();
    expect(said.length).toBe(2);
    for (const t of said) expect(t).toMatch(/\([+−±][\d.]+ pts, [+−±]\$[\d,.]+\/h/);
    const table = page.getByTestId('baseline-table');
    await table.waitFor({ timeout: patience });
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-plan')))).toEqual(['optimised', 'uniform', 'best-single']);
    const quality = async (key: string) => pct(await table.locator(`tr[data-plan="${key}"] td`).nth(1).innerText());
    // The optimiser never returns less than a plan drawn by hand on the same GPUs.
    const best = await quality('optimised');
    for (const key of ['uniform', 'best-single']) {
      const q = await table.locator(`tr[data-plan="${key}"] td`).nth(1).innerText();
      if (q !== '—') expect(best).toBeGreaterThanOrEqual(pct(q));
    }
    // The optimised plan's quality is the one the what-if shows for the counts on the sliders.
    const shown = page.getByTestId('whatif-quality').locator('.value');
    await expect.poll(async () => pct(await shown.innerText()), { timeout: patience }).toBe(best);
    // Loading the uniform split puts its counts on the sliders: the what-if then shows its quality.
    const uniform = await quality('uniform');
    await table.locator('tr[data-plan="uniform"]').getByRole('button', { name: /Load/ }).click();
    await expect.poll(async () => pct(await shown.innerText()), { timeout: patience }).toBe(uniform);
    await table.locator('tr[data-plan="optimised"]').getByRole('button', { name: /Load/ }).click();
    await expect.poll(async () => pct(await shown.innerText()), { timeout: patience }).toBe(best);
    // The latency beside the money: the busiest model's p90 TTFT and TPOT, for the plan and the baselines.
    expect(await table.locator('thead').innerText()).toMatch(/p90 TTFT · TPOT/);
    expect(await table.locator('tr[data-plan="optimised"] [data-testid="baseline-p90"]').innerText()).toMatch(/\d+(\.\d)? (ms|s) · \d+(\.\d)? (ms|s)/);
  });

  it('under an hourly spend cap lists no baseline over it without saying so', async () => {
    const table = page.getByTestId('baseline-table');
    const hourly = async (key: string) => Number((await table.locator(`tr[data-plan="${key}"] td`).nth(3).innerText()).replace(/[^\d.]/g, ''));
    const plan = await hourly('optimised');
    const single = await hourly('best-single');
    // A cap between the plan's cost and the best single model's, so that model is over it.
    const cap = Math.floor(single > plan ? (plan + single) / 2 : single * 0.9);
    const before = await page.getByTestId('optimise-summary').innerText();
    await page.getByTestId('plan-cap').fill(String(cap));
    await page.getByTestId('plan-button').click();
    // The re-plan under the cap has its own summary (its $/h at least).
    await expect.poll(async () => (await page.getByTestId('optimise-summary').count()) > 0 && (await page.getByTestId('optimise-summary').innerText()) !== before, { timeout: patience }).toBe(true);
    await table.locator('tr[data-plan="best-single"]').waitFor({ timeout: patience });
    for (const key of ['uniform', 'best-single']) {
      const row = table.locator(`tr[data-plan="${key}"]`);
      const flagged = (await row.getByTestId('over-cap').count()) > 0 || /infeasible/.test(await row.innerText());
      const h = (await row.locator('td').nth(3).innerText()).trim();
      if (!flagged && h !== '—') expect(await hourly(key), key).toBeLessThanOrEqual(cap + 0.005);
    }
    // The best single model over the cap is named as skipped, not listed.
    if (single > cap) expect(await table.locator('tr[data-plan="best-single"]').innerText()).toMatch(/over the \$[\d.]+\/h cap/);
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, '22-capacity-baselines-capped');
    // Back to no cap: wait for that plan's own summary (the capped one stays on screen until it lands).
    const capped = await page.getByTestId('optimise-summary').innerText();
    await page.getByTestId('plan-cap').fill('');
    await page.getByTestId('plan-button').click();
    await expect.poll(async () => (await page.getByTestId('optimise-summary').count()) > 0 && (await page.getByTestId('optimise-summary').innerText()) !== capped, { timeout: patience }).toBe(true);
    await table.locator('tr[data-plan="best-single"]').waitFor({ timeout: patience });
    expect(app.errors).toEqual([]);
  });

  it('shows each hosted model’s capacity source in the load table', async () => {
    const table = page.getByTestId('load-table');
    const headers = await table.locator('thead th').allInnerTexts();
    const col = headers.findIndex((h) => h.includes('Capacity from'));
    expect(col).toBeGreaterThan(0);
    const sources = await table.locator('tbody tr').evaluateAll((rs, c) => rs.map((r) => r.querySelectorAll('td')[c as number]?.textContent ?? ''), col);
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(['measured', 'fitted', 'estimated', 'typed', 'mixed', 'API limit', '—']).toContain(s);
    expect(sources.some((s) => ['measured', 'fitted', 'estimated', 'typed', 'mixed'].includes(s))).toBe(true);
  });

  it('draws the throughput-latency curve with the SLO and the planned operating point, and the memory bar', async () => {
    const panel = page.getByTestId('perf-curve');
    await panel.locator('.main-svg').first().waitFor({ timeout: patience });
    const drawn = await traces(page, 'perf-curve');
    const ttft = drawn.find((t) => t.name === 'p90 TTFT (estimated)')!;
    const tpot = drawn.find((t) => t.name === 'p90 TPOT (estimated)')!;
    expect(ttft.x.length).toBeGreaterThan(2);
    // As concurrency grows, latency never falls.
    for (let i = 1; i < ttft.y.length; i++) {
      expect(ttft.y[i]!).toBeGreaterThanOrEqual(ttft.y[i - 1]! * 0.999);
      expect(tpot.y[i]!).toBeGreaterThanOrEqual(tpot.y[i - 1]! * 0.999);
    }
    // The operating point lies on the curve's throughput range, under the TTFT SLO line.
    const op = drawn.find((t) => t.name === 'planned operating point')!;
    expect(op.x[0]!).toBeGreaterThan(0);
    expect(op.x[0]!).toBeLessThanOrEqual(Math.max(...(ttft.x as number[])));
    const shapes = await panel.evaluate((el) => ((el as unknown as { layout: { shapes?: { y0: number }[] } }).layout.shapes ?? []).map((s) => s.y0));
    expect(shapes).toHaveLength(2);
    expect(op.y[0]!).toBeLessThanOrEqual(shapes[0]);

    await page.getByTestId('memory-bar').locator('.main-svg').first().waitFor({ timeout: patience });
    const parts = await traces(page, 'memory-bar');
    expect(parts.map((p) => p.name)).toEqual(['weights', 'runtime overhead', 'KV cache', 'free']);
    for (const p of parts) expect(p.x[0]!).toBeGreaterThanOrEqual(0);
    expect(parts[0].x[0]!).toBeGreaterThan(0);
    expect(parts[2].x[0]!).toBeGreaterThan(0);
    await page.getByTestId('baseline-table').scrollIntoViewIfNeeded();
    await screenshot(page, '22-capacity-baselines-perf');
    expect(app.errors).toEqual([]);
  });

  it('draws imported measurements of the chosen deployment as their own markers, and the table says the capacity is measured', async () => {
    // Three measured points for the deployment on screen, at the workload's own shape.
    const option = await page.getByTestId('perf-deployment').locator('option:checked').innerText();
    const [, model, gpuType] = option.match(/^(.+) on (\S+) \(/)!;
    const [, gpus] = (await page.getByTestId('perf-describe').innerText()).match(/· (\d+)× /)!;
    const [, input, output] = (await page.getByTestId('perf-describe').innerText()).match(/(\d+)→(\d+) tokens/)!;
    const file = join(app.dir, 'measured.csv');
    const rows = [[1, 60, 150, 25], [4, 180, 300, 28], [16, 300, 900, 35]].map(([c, tok, ttft, tpot]) => [model, gpuType, gpus, 'bf16', 'vllm', input, output, c, tok, ttft, tpot].join(','));
    writeFileSync(file, ['model,gpu,gpus,precision,engine,input_tokens,output_tokens,concurrency,output_tok_s,ttft_p90_ms,tpot_p90_ms', ...rows].join('\n') + '\n');
    const answer = await page.evaluate(async (path) => {
      const res = await fetch('/api/invoke', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionStorage.getItem('routeplan-token')}` }, body: JSON.stringify({ method: 'performance.importMeasurements', input: { files: [path] } }) });
      return res.json();
    }, file);
    expect(answer.error).toBeUndefined();

    // Plan again on the measured figures, and show the same deployment.
    await page.getByTestId('plan-button').click();
    await page.getByTestId('optimise-summary').waitFor({ timeout: patience });
    await page.getByTestId('baseline-table').locator('tr[data-plan="best-single"]').waitFor();
    const select = page.getByTestId('perf-deployment');
    const wanted = `${model} on ${gpuType}`;
    if (!(await select.locator('option', { hasText: wanted }).count())) {
      // The measured figures moved the optimum elsewhere: put one instance of the deployment on its slider.
      const slider = page.getByTestId('instance-sliders').getByRole('slider', { name: `${model} instances on ${gpuType}` });
      await slider.focus();
      await page.keyboard.press('ArrowRight');
    }
    await select.locator('option', { hasText: wanted }).first().waitFor({ state: 'attached', timeout: patience });
    await select.selectOption({ label: (await select.locator('option', { hasText: wanted }).first().innerText()).trim() });
    await expect.poll(async () => (await traces(page, 'perf-curve')).find((t) => t.name === 'p90 TTFT measured')?.x, { timeout: patience }).toEqual([60, 180, 300]);
    const tpot = (await traces(page, 'perf-curve')).find((t) => t.name === 'p90 TPOT measured')!;
    expect(tpot.y).toEqual([25, 28, 35]);
    const table = page.getByTestId('load-table');
    const col = (await table.locator('thead th').allInnerTexts()).findIndex((h) => h.includes('Capacity from'));
    const source = await table.locator('tbody tr').filter({ has: page.locator('td', { hasText: new RegExp(`^${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first().locator('td').nth(col).innerText();
    expect(['measured', 'fitted', 'mixed']).toContain(source);
    await screenshot(page, '23-capacity-measured');
    expect(app.errors).toEqual([]);
  });
});
