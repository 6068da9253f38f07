import type { Page } from 'playwright-core';
import { openApp, type OpenApp, patience } from './harness';

/** The demo workspace served and opened, with its demo data created. */
export async function openDemoApp(): Promise<OpenApp> {
  const app = await openApp('demo.sqlite');
  await app.page.locator('[data-method="demo.create"][data-state="done"]').waitFor({ state: 'attached', timeout: patience });
  return app;
}

export interface DrawnTrace {
  name: string;
  x: (number | null)[];
  y: (number | null)[];
}

/** The traces plotly drew in a chart (plotly keeps them on its div), to check figures, not pixels. */
export function plotTraces(page: Page, testId: string): Promise<DrawnTrace[]> {
  return page.getByTestId(testId).evaluate((el) => ((el as unknown as { data?: { name?: string; x?: (number | null)[]; y?: (number | null)[] }[] }).data ?? []).map((t) => ({ name: t.name ?? '', x: [...(t.x ?? [])], y: [...(t.y ?? [])] })));
}
