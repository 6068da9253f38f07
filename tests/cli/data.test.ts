// Slow: imports the RouterBench files and Parquet through the real CLI, one process per command.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/engine/store/database';
import type { DatasetSummary, ImportResult } from '../../src/shared/contract';
import { dump } from '../helpers/dump';
import { repoRoot, scratchDir } from '../helpers/engine';
import { readRouterbench, trainFiles } from '../helpers/routerbench';
import { ensureBuilt, runCli } from '../helpers/cli';
import { writeRowsParquet } from '../helpers/parquet';

// The built CLI, as a user runs it (npm test builds first; build here if it is missing).
const routeplan = (...args: string[]) => runCli(args);

const scratch = scratchDir('routeplan-cli-');
const ws = join(scratch.dir, 'w.sqlite');
beforeAll(ensureBuilt);
afterAll(() => scratch.cleanup());

describe('routeplan import / datasets / demo', () => {
  it('imports RouterBench train files as one dataset of 2,225 x 11 whose accuracies equal the files', () => {
    const r = routeplan('import', ...trainFiles, '--workspace', ws, '--json');
    expect(r.code).toBe(0);
    expect(r.json() as ImportResult).toMatchObject({ kind: 'dataset', queries: 2225, models: 11, datasetName: 'routerbench-train' });
    const list = routeplan('datasets', '--workspace', ws, '--json');
    expect(list.code).toBe(0);
    const [d] = list.json() as DatasetSummary[];
    expect(d.queries).toBe(2225);
    const m = readRouterbench(trainFiles);
    m.models.forEach((name, j) => {
      let s = 0, n = 0;
      for (let i = 0; i < 2225; i++) if (!Number.isNaN(m.scores[i * 11 + j])) { s += m.scores[i * 11 + j]; n++; }
      expect(d.models.find((x) => x.model === name)!.accuracy).toBeCloseTo(s / n, 12);
    });
  });

  it('refuses the same import twice with CONFLICT and a non-zero exit code', () => {
    const r = routeplan('import', ...trainFiles, '--workspace', ws, '--json');
    expect(r.code).toBe(1);
    expect(r.json().error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already imported') });
    expect(r.err).toMatch(/CONFLICT/);
  });

  it('a bad file exits non-zero naming file, row and column, and leaves the workspace as it was', () => {
    const db = openDatabase(ws);
    const before = dump(db);
    db.close();
    const bad = join(repoRoot, 'tests/fixtures/data/non-numeric-label.csv');
    const r = routeplan('import', bad, '--workspace', ws, '--json');
    expect(r.code).toBe(1);
    expect(r.json().error).toMatchObject({ code: 'FILE_FORMAT', details: { file: bad, row: 62, column: 'score' } });
    expect(r.err).toContain('row 62, column "score"');
    const after = openDatabase(ws);
    expect(dump(after)).toEqual(before);
    after.close();
  });

  it('deletes a dataset, after which the same files import again', () => {
    const del = routeplan('datasets', '--delete', '1', '--workspace', ws, '--json');
    expect(del.code).toBe(0);
    expect(del.json()).toEqual([]);
    expect(routeplan('datasets', '--delete', '1', '--workspace', ws, '--json').json().error).toMatchObject({ code: 'NOT_FOUND' });
    expect(routeplan('import', trainFiles[1], '--workspace', ws, '--json').code).toBe(0);
  });

  it('creates the demo workspace headless', () => {
    const demo = join(scratch.dir, 'demo.sqlite');
    const r = routeplan('demo', '--workspace', demo, '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ queries: 5000, models: 16 });
    const info = routeplan('info', '--workspace', demo, '--json');
    expect(info.json()).toMatchObject({ datasets: 1, models: 16, gpuTypes: 3, isDemo: true });
  });
});

describe('routeplan import --on-duplicate and --format', () => {
  const dup = join(repoRoot, 'tests/fixtures/data/duplicate-pair.csv');
  it('refuses a repeated pair by default, keeps the mean with --on-duplicate mean and says so', () => {
    const w = join(scratch.dir, 'dup.sqlite');
    const refused = routeplan('import', dup, '--workspace', w);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/row 5, column "score": duplicate query\/model pair.*--on-duplicate/);
    const mean = routeplan('import', dup, '--on-duplicate', 'mean', '--workspace', w);
    expect(mean.code, mean.err).toBe(0);
    expect(mean.out).toMatch(/repeated query\/model pairs: 1 \(merged into their mean\)/);
    const list = routeplan('datasets', '--workspace', w, '--json').json() as DatasetSummary[];
    expect(list[0].models.find((m) => m.model === 'alpha')!.accuracy).toBeCloseTo((0.5 + 1) / 2);
  });

  it('imports a Parquet file (row groups decoded in the built worker), detected by its magic number', () => {
    const file = join(scratch.dir, 'pairs.parquet');
    writeRowsParquet(file, [{ name: 'question', type: 'STRING' }, { name: 'llm', type: 'STRING' }, { name: 'performance', type: 'DOUBLE' }], [
      ['What is 2+2?', 'a', 1],
      ['What is 2+2?', 'b', 0.5],
      ['Name a colour', 'a', 0],
      ['Name a colour', 'b', 1],
    ]);
    const r = routeplan('import', file, '--workspace', join(scratch.dir, 'pq.sqlite'), '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.json()).toMatchObject({ format: 'long-csv', queries: 2, models: 2, labels: 4 });
  });

  it('an unknown --format or --on-duplicate is a usage error (exit 2) and names the choices', () => {
    const r = routeplan('import', dup, '--format', 'parquet-ish', '--workspace', join(scratch.dir, 'u.sqlite'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Allowed choices are auto, wide-csv, long-csv, json, pairwise, catalog, inventory/);
    expect(routeplan('import', dup, '--on-duplicate', 'average', '--workspace', join(scratch.dir, 'u.sqlite')).code).toBe(2);
  });
});

describe('routeplan inventory', () => {
  it('edits the inventory with --set and refuses a bad edit with a non-zero exit, changing nothing', () => {
    const w = join(scratch.dir, 'inv.sqlite');
    expect(routeplan('demo', '--workspace', w, '--queries', '200').code).toBe(0);
    const set = routeplan('inventory', '--workspace', w, '--set', 'L40S=30', '--set', 'B200=8:6.5:192', '--json');
    expect(set.code).toBe(0);
    const rows = set.json() as { gpuType: string; count: number; hourlyPrice: number }[];
    expect(rows.find((g) => g.gpuType === 'L40S')?.count).toBe(30);
    expect(rows.find((g) => g.gpuType === 'B200')).toMatchObject({ count: 8, hourlyPrice: 6.5 });
    const bad = routeplan('inventory', '--workspace', w, '--set', 'L40S=31', '--set', 'MI300X=2', '--json');
    expect(bad.code).toBe(1);
    expect(bad.json().error.message).toMatch(/MI300X.*needs hourlyPrice, memoryGb/);
    expect(routeplan('inventory', '--workspace', w, '--json').json()).toEqual(rows);
  });
});
