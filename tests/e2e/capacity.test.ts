// Slow: allocation, what-if and a procurement sweep driven through the browser on the demo workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, screenshot, type OpenApp, patience } from './harness';

const money = (s: string) => Number(s.replace(/[^\d.]/g, ''));

// The Capacity screen on the demo workspace (16 models, a catalog with GPU profiles, 3 GPU types).
describe('e2e: capacity planning on the demo workspace', () => {
  let app: OpenApp;
  let page: Page;

  beforeAll(async () => {
    app = await openApp('demo.sqlite');
    page = app.page;
    await page.locator('[data-method="demo.create"][data-state="done"]').waitFor({ state: 'attached', timeout: patience });
    await page.keyboard.press('Alt+4');
  });
  afterAll(() => app?.close());

  it('plans, optimises, and never uses more GPUs than the inventory holds', async () => {
    await page.getByTestId('plan-button').click();
    await page.getByTestId('optimise-summary').waitFor({ timeout: patience });
    await page.getByTestId('whatif-results').waitFor();
    const usage = async () =>
      Promise.all((await page.getByTestId('inventory-editor').locator('tbody tr').all()).map(async (row) => (await row.locator('td').nth(3).innerText()).split('/').map((x) => Number(x.trim().replace(/,/g, '')))));
    // The optimised counts land on the sliders: some GPUs are in use, never more than there are.
    await expect.poll(async () => (await usage()).reduce((a, [used]) => a + used, 0), { timeout: patience }).toBeGreaterThan(0);
    for (const [used, available] of await usage()) expect(used).toBeLessThanOrEqual(available);
    await page.getByTestId('utilisation-heatmap').locator('.main-svg').first().waitFor({ timeout: patience });
  });

  it('recomputes cost live when an instance slider moves', async () => {
    const cost = page.getByTestId('whatif-cost').locator('.value');
    // The figures of the optimised plan (not of the empty plan shown while it was being solved).
    await expect.poll(async () => money(await cost.innerText()), { timeout: patience }).toBeGreaterThan(0);
    const before = money(await cost.innerText());
    // One more instance of the first deployment that has room: cost must rise by its GPUs' price.
    const slider = page.getByTestId('instance-sliders').getByRole('slider').first();
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => money(await cost.innerText()), { timeout: patience }).toBeGreaterThan(before);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => money(await cost.innerText()), { timeout: patience }).toBe(before);
  });

  it('saves two scenarios and compares them side by side', async () => {
    for (const name of ['baseline', 'bigger traffic']) {
      if (name === 'bigger traffic') await page.getByTestId('plan-traffic').fill('40');
      await page.getByTestId('scenario-name').fill(name);
      await page.getByRole('button', { name: 'Save scenario' }).click();
      await page.getByTestId('scenario-list').getByText(name, { exact: true }).waitFor();
    }
    for (const name of ['baseline', 'bigger traffic']) await page.getByTestId('scenario-list').getByLabel(name, { exact: true }).check();
    await page.getByRole('button', { name: /Compare 2 side by side/ }).click();
    const table = page.getByTestId('scenario-comparison');
    await table.waitFor();
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['Metric', 'baseline', 'bigger traffic']);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(2);
  });

  it('draws a procurement curve', async () => {
    await page.getByRole('button', { name: 'Sweep', exact: true }).click();
    await page.getByTestId('procurement-chart').locator('.main-svg').first().waitFor({ timeout: patience });
    await screenshot(page, '12-capacity');
    expect(app.errors).toEqual([]);
  });

  it('saves a what-if purchase to the stored inventory', async () => {
    const firstRow = page.getByTestId('inventory-editor').locator('tbody tr').first();
    const owned = async () => Number((await firstRow.locator('td').nth(1).innerText()).replace(/,/g, ''));
    const before = await owned();
    const buy = firstRow.getByRole('spinbutton');
    await buy.fill('4');
    await page.getByTestId('save-inventory').click();
    await expect.poll(owned, { timeout: patience }).toBe(before + 4);
    expect(await buy.inputValue()).toBe('0');
    expect(await page.getByTestId('save-inventory').isDisabled()).toBe(true);
    expect(app.errors).toEqual([]);
  });
});
