import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openApp, screenshot, type OpenApp, patience } from './harness';

// First start on a fresh workspace: the server fills it with the demo, and the app shows the job
// in its tray and then the demo's dataset, model catalog and GPU inventory.
describe('e2e: first start on the demo workspace', () => {
  let app: OpenApp;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    app = await openApp('fresh.sqlite', []);
    ({ page, errors } = app);
  });
  afterAll(() => app?.close());

  it('shows the demo job, then the demo dataset, catalog and inventory', async () => {
    await page.getByTestId('job-tray').locator('[data-method="demo.create"][data-state="done"]').waitFor({ state: 'attached', timeout: patience });
    const dataset = page.getByTestId('dataset');
    await expect.poll(() => dataset.count(), { timeout: patience }).toBe(1);
    // The list reloads when the job ends; wait for that answer rather than read the previous one.
    await expect.poll(() => dataset.locator('[data-testid=dataset-models] tbody tr').count(), { timeout: patience }).toBe(16);
    expect(await page.getByTestId('workspace-path').innerText()).toContain('fresh.sqlite');
    expect(await page.locator('.workspace-bar .badge').innerText()).toBe('demo');
    const catalog = page.getByTestId('catalog').locator('tbody tr');
    await expect.poll(() => catalog.count(), { timeout: patience }).toBe(16);
    // Prices carry their unit; self-hosted models name a GPU, API models say so.
    expect(await catalog.first().locator('td').nth(1).innerText()).toMatch(/^\$[\d.]+\/1M tok$/);
    const inventory = page.getByTestId('inventory').locator('tbody tr');
    await expect.poll(() => inventory.count(), { timeout: patience }).toBeGreaterThan(0);
    expect(await inventory.first().locator('td').nth(2).innerText()).toMatch(/^\$[\d.]+\/h$/);
    await screenshot(page, '20-demo-data');
    expect(errors).toEqual([]);
  });

  it('creates a second workspace by path, switches to it, and lists both as recent', async () => {
    const second = join(app.dir, 'second.sqlite');
    await page.getByRole('button', { name: /Workspace/ }).click();
    await page.getByPlaceholder('/home/me/plans/team.sqlite').fill(second);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => page.getByTestId('workspace-path').innerText()).toContain('second.sqlite');
    await page.getByText('No datasets yet').waitFor();
    await page.getByRole('button', { name: /Workspace/ }).click();
    const recent = page.locator('.recent button');
    expect(await recent.allInnerTexts()).toEqual([second, join(app.dir, 'fresh.sqlite')]);
    await recent.nth(1).click();
    await expect.poll(() => page.getByTestId('workspace-path').innerText()).toContain('fresh.sqlite');
    await expect.poll(() => page.getByTestId('dataset').count()).toBe(1);
  });

  it('hides the guide and brings it back', async () => {
    const guide = page.getByRole('navigation', { name: 'Guided first run' });
    await page.getByRole('button', { name: 'Hide the guide' }).click();
    expect(await guide.count()).toBe(0);
    await page.getByRole('button', { name: 'Guide', exact: true }).click();
    await guide.waitFor();
    // The demo already holds data: the first step is done and the next one is marked current.
    expect(await guide.locator('li.done').count()).toBeGreaterThanOrEqual(1);
    expect(await guide.locator('[aria-current=step]').innerText()).toContain('Train a predictor');
  });

  it('navigates every screen by keyboard alone, with a visible focus', async () => {
    for (const [i, screen] of ['Data', 'Predictor', 'Routing', 'Capacity', 'Policies', 'Plans'].entries()) {
      await page.keyboard.press(`Alt+${i + 1}`);
      expect(await page.locator('main').getAttribute('data-screen')).toBe(screen);
      // Focus moves to the screen's title, so a keyboard user continues from there.
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('screen-title');
    }
    await page.keyboard.press('Alt+1');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    expect(errors).toEqual([]);
  });
});
