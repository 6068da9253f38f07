import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { routerbenchDir } from '../helpers/engine';
import { readRouterbench } from '../helpers/routerbench';
import { openApp, screenshot, type OpenApp, patience } from './harness';

// The Data screen in Debian's chromium through the browser mode, on real RouterBench files.
describe('e2e: Data screen in the browser mode', () => {
  let app: OpenApp;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    app = await openApp('w.sqlite', ['--no-demo'], { width: 1360, height: 900 });
    ({ page, errors } = app);
  });
  afterAll(() => app?.close());

  it('opens on an empty workspace and hides the token from the address bar', async () => {
    await page.getByText('No datasets yet').waitFor();
    expect(page.url()).not.toContain('token=');
    expect(await page.locator('nav[aria-label="Screens"] button').allTextContents()).toEqual(['Data', 'Predictor', 'Routing', 'Capacity', 'Policies', 'Plans']);
    await screenshot(page, '01-data-empty');
  });

  it('imports a RouterBench file and shows per-model accuracy equal to the file', async () => {
    const file = join(routerbenchDir, 'winogrande_train.csv');
    await page.setInputFiles('[data-testid=import-file]', file);
    await page.getByTestId('import-result').waitFor({ timeout: patience });
    const dataset = page.getByTestId('dataset');
    await expect.poll(() => dataset.count()).toBe(1);
    const rows = dataset.first().locator('[data-testid=dataset-models] tbody tr');
    expect(await rows.count()).toBe(11);
    const truth = readRouterbench([file]);
    const k = truth.models.length;
    for (const model of ['gpt-4-1106-preview', 'mistralai/mistral-7b-chat']) {
      const j = truth.models.indexOf(model);
      let sum = 0;
      let n = 0;
      for (let i = 0; i < truth.queryIds.length; i++) {
        const s = truth.scores[i * k + j];
        if (!Number.isNaN(s)) (sum += s), n++;
      }
      const row = rows.filter({ has: page.getByRole('cell', { name: model, exact: true }) });
      expect(await row.locator('td').nth(1).innerText()).toBe(`${((sum / n) * 100).toFixed(1)} %`);
    }
    expect(await dataset.first().innerText()).toContain('887 queries');
    await screenshot(page, '02-data-imported');
  });

  it("shows a broken file's error in place with its file, row and column", async () => {
    const bad = join(app.dir, 'broken-labels.csv');
    writeFileSync(bad, 'prompt,model,score\n"What is 2+2?",m1,1\n"What is 2+2?",m2,0\n"Name a prime",m1,abc\n');
    await page.setInputFiles('[data-testid=import-file]', bad);
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: patience });
    expect(await alert.getAttribute('data-code')).toBe('FILE_FORMAT');
    expect(await alert.getByTestId('error-file').innerText()).toBe('broken-labels.csv');
    expect(await alert.getByTestId('error-row').innerText()).toBe('4');
    expect(await alert.getByTestId('error-column').innerText()).toBe('score');
    // The upload's temporary name never reaches the user.
    expect(await alert.innerText()).not.toMatch(/routeplan-uploads-/);
    // Nothing was written: still exactly one dataset.
    expect(await page.getByTestId('dataset').count()).toBe(1);
    await screenshot(page, '03-data-error');
    await page.getByRole('button', { name: 'Dismiss error' }).click();
  });

  it('imports a file dropped on the import area, and sorts the table from the keyboard', async () => {
    // A long CSV built in the page and dropped as a File, as a user drags one from the desktop.
    await page.getByTestId('dropzone').evaluate((zone) => {
      const csv = 'prompt,model,score\n"q1",small,1\n"q1",large,1\n"q2",small,0\n"q2",large,1\n"q3",small,0\n"q3",large,\n';
      const data = new DataTransfer();
      data.items.add(new File([csv], 'dropped-long.csv', { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    const card = page.getByTestId('dataset').filter({ hasText: 'dropped-long' });
    await card.waitFor({ timeout: patience });
    const rows = card.locator('[data-testid=dataset-models] tbody tr');
    // Accuracy ignores the missing label: large 2/2, small 1/3.
    expect(await rows.locator('td:nth-child(2)').allInnerTexts()).toEqual(['100.0 %', '33.3 %']);
    expect(await rows.locator('td:nth-child(4)').allInnerTexts()).toEqual(['2', '3']);
    const header = card.getByRole('button', { name: /Accuracy/ });
    await header.focus();
    await page.keyboard.press('Enter');
    expect(await rows.locator('td:nth-child(1)').allInnerTexts()).toEqual(['small', 'large']);
    expect(await card.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
  });

  it('keeps the job in the tray across navigation and themes stay readable', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Routing', exact: true }).click();
    expect(await page.locator('main').getAttribute('data-screen')).toBe('Routing');
    await page.keyboard.press('Alt+1');
    expect(await page.locator('main').getAttribute('data-screen')).toBe('Data');
    const tray = page.getByTestId('job-tray');
    expect(await tray.locator('[data-method="data.import"][data-state="done"]').count()).toBe(2);
    expect(await tray.locator('[data-method="data.import"][data-state="failed"]').count()).toBe(1);
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, '04-data-dark');
    expect(errors).toEqual([]);
  });

  it('says so when the server goes away', async () => {
    await app.served.stop();
    await page.getByTestId('connection-lost').waitFor({ timeout: patience });
  });
});
