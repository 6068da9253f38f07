import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { scratchDir } from '../helpers/engine';
import { launchChromium, startServe, watchPageErrors, type Served, patience } from './harness';

// Issue 30 item 7: `routeplan serve` started again on the same workspace listens at the same
// address with the same token, so an open page finds it again without a hand-copied URL.
describe('e2e: a page reconnects to a server restarted on its workspace', () => {
  const scratch = scratchDir('routeplan-e2e-reconnect-');
  const workspace = join(scratch.dir, 'w.sqlite');
  const remember = { rememberAddress: { appData: join(scratch.dir, 'app-data') } };
  let served: Served | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    scratch.cleanup();
  });

  it('shows the banner while the server is away and clears it when the server is back', async () => {
    served = await startServe(workspace, ['--no-demo'], remember);
    const first = served.url;
    browser = await launchChromium();
    const page = await browser.newPage();
    watchPageErrors(page);
    await page.goto(first);
    await page.getByText('No datasets yet').waitFor({ timeout: patience });
    await served.stop();
    await page.getByTestId('connection-lost').waitFor({ timeout: patience });
    served = await startServe(workspace, ['--no-demo'], remember);
    expect(served.url).toBe(first);
    // No reload, no new address: the event stream's own retry finds the server again.
    await page.getByTestId('connection-lost').waitFor({ state: 'detached', timeout: patience });
    expect(await page.getByText('No datasets yet').count()).toBe(1);
  });
});
