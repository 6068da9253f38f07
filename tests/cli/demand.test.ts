import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/engine/store/database';
import type { DemandImportResult, DemandIntervalsJson, DemandSummary } from '../../src/shared/contract';
import { dump } from '../helpers/dump';
import { repoRoot, scratchDir } from '../helpers/engine';
import { ensureBuilt, runCli } from '../helpers/cli';

const routeplan = (...args: string[]) => runCli(args);
const scratch = scratchDir('routeplan-cli-demand-');
const ws = join(scratch.dir, 'w.sqlite');
const conv = resolve(repoRoot, '../shared/data/traces/azure2023_AzureLLMInferenceTrace_conv.csv');
beforeAll(ensureBuilt);
afterAll(() => scratch.cleanup());

describe('routeplan demand', () => {
  it('imports the Azure conversation trace and shows its intervals, whose rates sum to the count', () => {
    const r = routeplan('demand', 'import', conv, '--workspace', ws, '--json');
    expect(r.code).toBe(0);
    const imp = r.json() as DemandImportResult;
    expect(imp).toMatchObject({ rows: 19366, format: 'azure', report: { timestamps: 'iso' } });
    for (const interval of ['1m', '5m', '15m', '1h']) {
      const s = routeplan('demand', 'show', String(imp.demandId), '--interval', interval, '--workspace', ws, '--json');
      expect(s.code).toBe(0);
      const { summary, intervals } = s.json() as { summary: DemandSummary; intervals: DemandIntervalsJson };
      expect(summary.requests).toBe(19366);
      expect(Math.round(intervals.rate.reduce((a, b) => a + b, 0) * intervals.intervalS)).toBe(19366);
    }
    const human = routeplan('demand', 'show', '--interval', '15m', '--workspace', ws);
    expect(human.out).toMatch(/requests 19,366/);
    expect(human.out).toMatch(/per 15 min:/);
  });

  it('creates a profile with growth and lists both demands', () => {
    const p = routeplan('demand', 'profile', '--daily-requests', '24000', '--shape-preset', 'flat', '--growth', '8%', '--months', '2', '--name', 'grow', '--workspace', ws, '--json');
    expect(p.code).toBe(0);
    expect((p.json() as DemandSummary).requests).toBe(Math.round(24000 * (730 / 24) * 2.08));
    const list = routeplan('demand', 'list', '--workspace', ws, '--json').json() as DemandSummary[];
    expect(list.map((d) => [d.kind, d.name])).toEqual([['trace', 'azure2023_AzureLLMInferenceTrace_conv'], ['profile', 'grow']]);
  });

  it('a bad row exits 1 naming file, row and column, and leaves the workspace as it was', () => {
    const bad = join(scratch.dir, 'bad.csv');
    writeFileSync(bad, 'timestamp,input_tokens,output_tokens\n1,2,3\n2,-1,3\n');
    const db = openDatabase(ws);
    const before = dump(db);
    db.close();
    const r = routeplan('demand', 'import', bad, '--workspace', ws, '--json');
    expect(r.code).toBe(1);
    expect(r.json().error).toMatchObject({ code: 'FILE_FORMAT', details: { file: bad, row: 3, column: 'input_tokens' } });
    const after = openDatabase(ws);
    expect(dump(after)).toEqual(before);
    after.close();
  });

  it('refuses an unknown layout listing the accepted ones, and a bad interval', () => {
    const odd = join(scratch.dir, 'odd.csv');
    writeFileSync(odd, 'a,b\n1,2\n');
    const r = routeplan('demand', 'import', odd, '--workspace', ws);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/accepted layouts: azure/);
    const s = routeplan('demand', 'show', '--interval', '90s', '--workspace', ws, '--json');
    expect(s.code).toBe(1);
    expect(s.json().error.code).toBe('INVALID_INPUT');
  });

  it('numbers on the command line follow the importers\' decimal grammar: 0x10 or an empty scale is a usage error naming the value', () => {
    for (const [cmd, bad] of [
      [['plan', '--scale'], '0x10'],
      [['plan', '--burst-window'], ''],
      [['demand', 'show', '--scale'], '1_000'],
    ] as const) {
      const r = routeplan(...cmd, bad, '--workspace', ws, '--json');
      expect(r.code).toBe(2);
      expect(r.err + r.out).toMatch(/not a decimal number/);
    }
  });

  it('deletes a demand', () => {
    expect(routeplan('demand', 'delete', '2', '--workspace', ws).code).toBe(0);
    expect((routeplan('demand', 'list', '--workspace', ws, '--json').json() as DemandSummary[]).length).toBe(1);
    expect(routeplan('demand', 'delete', '2', '--workspace', ws).code).toBe(1);
  });
});
