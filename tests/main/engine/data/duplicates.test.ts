import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src/main/engine/store/database';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import type { DuplicatePolicy } from '../../../../src/main/engine/data/dataset-builder';
import { repoRoot, scratchDir } from '../../../helpers/engine';
import { dump } from '../../../helpers/dump';

// --on-duplicate, in each mode, on both shapes a repeat takes: a long CSV row naming a pair again
// (tests/fixtures/data/duplicate-pair.csv: q1/alpha is 1 at row 2 and 0 at row 5) and a wide row
// repeating a whole query (same id, same text).
const longFile = join(repoRoot, 'tests/fixtures/data/duplicate-pair.csv');
const scratch = scratchDir('routeplan-dup-');
afterAll(() => scratch.cleanup());
const wideFile = join(scratch.dir, 'wide-dup.csv');
writeFileSync(
  wideFile,
  ['sample_id,prompt,eval_name,alpha,alpha|total_cost,beta,beta|total_cost', 'a,Add 2 and 2,math,1,0.001,0,0.01', 'b,Name a colour,misc,0,0.002,1,0.02', 'a,Add 2 and 2,math,0,0.003,1,0.03'].join('\n') + '\n',
);

async function load(file: string, onDuplicate: DuplicatePolicy) {
  const db: Db = openDatabase(':memory:');
  const r = await importFile(db, file, { onDuplicate, name: 'd' }, quietContext());
  const m = loadLabelMatrix(db, r.datasetId!);
  const byId = (id: string) => {
    const i = m.queryIds.indexOf(id);
    return i < 0 ? null : Array.from(m.scores.subarray(i * m.models.length, (i + 1) * m.models.length));
  };
  const n = db.prepare('SELECT MAX(n) FROM labels').pluck().get();
  return { r, m, byId, n, db };
}

describe('--on-duplicate', () => {
  it('refuse (the default) names the repeated row and leaves the workspace as it was', async () => {
    const db = openDatabase(':memory:');
    const before = dump(db);
    for (const [file, row] of [[longFile, 5], [wideFile, 4]] as const) {
      const err = await importFile(db, file, {}, quietContext()).catch((e) => e);
      expect(err).toMatchObject({ code: 'FILE_FORMAT', details: { row } });
      expect(err.message).toMatch(/duplicate.*--on-duplicate first \| mean \| separate/);
    }
    expect(dump(db)).toEqual(before);
  });

  it('first keeps the first label of each pair and counts the repeats', async () => {
    const long = await load(longFile, 'first');
    expect(long.r).toMatchObject({ queries: 2, duplicates: { policy: 'first', pairs: 1 } });
    expect(long.byId('q1')).toEqual([1, 0]);
    const wide = await load(wideFile, 'first');
    expect(wide.r).toMatchObject({ queries: 2, duplicates: { policy: 'first', pairs: 2 } });
    expect(wide.byId('a')).toEqual([1, 0]);
    expect(wide.m.costs[0]).toBeCloseTo(0.001);
  });

  it('mean keeps the mean label (and cost), with the count in labels.n', async () => {
    const long = await load(longFile, 'mean');
    expect(long.r).toMatchObject({ queries: 2, duplicates: { policy: 'mean', pairs: 1 } });
    expect(long.byId('q1')).toEqual([0.5, 0]);
    expect(long.n).toBe(2);
    const wide = await load(wideFile, 'mean');
    expect(wide.byId('a')).toEqual([0.5, 0.5]);
    const i = wide.m.queryIds.indexOf('a');
    expect(wide.m.costs[i * 2]).toBeCloseTo(0.002);
    expect(wide.m.costs[i * 2 + 1]).toBeCloseTo(0.02);
  });

  it('separate keeps each occurrence as a query of its own, "<id>#2"', async () => {
    const long = await load(longFile, 'separate');
    expect(long.r).toMatchObject({ queries: 3, duplicates: { policy: 'separate', pairs: 1 } });
    expect(long.byId('q1')).toEqual([1, 0]);
    const second = long.byId('q1#2')!;
    expect(second[0]).toBe(0);
    expect(Number.isNaN(second[1])).toBe(true); // the repeat labelled alpha only
    const wide = await load(wideFile, 'separate');
    expect(wide.r).toMatchObject({ queries: 3, duplicates: { policy: 'separate', pairs: 2 } });
    expect(wide.byId('a')).toEqual([1, 0]);
    expect(wide.byId('a#2')).toEqual([0, 1]);
  });
});
