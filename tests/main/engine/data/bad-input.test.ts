import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src/main/engine/store/database';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { repoRoot } from '../../../helpers/engine';
import { dump } from '../../../helpers/dump';

const fixtures = join(repoRoot, 'tests/fixtures/data');
const at = (name: string) => join(fixtures, name);


/** A workspace that already holds a dataset (models alpha, beta), a catalog and an inventory. */
async function populated(): Promise<Db> {
  const db = openDatabase(':memory:');
  await importFile(db, at('long-ok.csv'), {}, quietContext());
  await importFile(db, at('catalog-ok.csv'), {}, quietContext());
  await importFile(db, at('inventory-ok.json'), {}, quietContext());
  return db;
}

interface Case {
  kind: string;
  file: string;
  format?: 'long-csv' | 'wide-csv' | 'json' | 'catalog' | 'inventory';
  row: number | null;
  column: string | null;
  message: RegExp;
}

const cases: Case[] = [
  { kind: 'missing column', file: 'missing-column.csv', format: 'long-csv', row: 1, column: 'performance|correct|iscorrect|score', message: /missing column/ },
  { kind: 'non-numeric label (after 60 good rows)', file: 'non-numeric-label.csv', row: 62, column: 'score', message: /"yes" is not a number/ },
  { kind: 'out-of-range label', file: 'out-of-range.csv', row: 3, column: 'alpha', message: /1\.5 is out of range/ },
  { kind: 'duplicate query/model pair', file: 'duplicate-pair.csv', row: 5, column: 'score', message: /duplicate query\/model pair.*"alpha"/ },
  { kind: 'one query id with two different questions', file: 'id-two-texts.csv', row: 3, column: 'id', message: /query id "q1" comes with another question text than at row 2/ },
  { kind: 'empty file', file: 'empty.csv', row: null, column: null, message: /the file is empty/ },
  { kind: 'header only, no data rows', file: 'header-only.csv', row: null, column: null, message: /no data rows/ },
  { kind: 'truncated mid-quoted-field', file: 'truncated-quote.csv', row: 3, column: null, message: /truncated CSV: the file ends inside a quoted field/ },
  { kind: 'row with too few columns', file: 'short-row.csv', row: 4, column: 'score', message: /2 fields but the header has 4.*truncated/ },
  { kind: 'binary file', file: 'binary.csv', row: 3, column: null, message: /binary content: a NUL byte/ },
  { kind: 'invalid UTF-8 (Latin-1)', file: 'latin1.csv', row: 3, column: null, message: /not valid UTF-8 \(byte 0xe9.*Latin-1/ },
  { kind: 'UTF-16 with a byte-order mark', file: 'utf16-bom.csv', row: 1, column: null, message: /UTF-16 little-endian \(byte-order mark FF FE\)/ },
  { kind: 'UTF-16 without a byte-order mark', file: 'utf16-nobom.csv', row: 1, column: null, message: /UTF-16 little-endian without a byte-order mark/ },
  { kind: 'unknown model in a catalog', file: 'catalog-unknown-model.csv', row: 3, column: 'model', message: /unknown model "gamma".*known models: alpha, beta/ },
  { kind: 'negative price', file: 'catalog-negative-price.json', row: 2, column: 'price_in_per_m', message: /a price cannot be negative/ },
  { kind: 'negative GPU count', file: 'inventory-negative-count.csv', row: 3, column: 'count', message: /a GPU count cannot be negative/ },
  { kind: 'self-hosted model without its GPU profile', file: 'catalog-incomplete-gpu.csv', row: 2, column: 'slots_per_instance', message: /required for a self-hosted model/ },
  { kind: 'malformed JSON', file: 'malformed.json', row: 2, column: null, message: /malformed JSON in object 2 \(starting at line 3\)/ },
  { kind: 'truncated JSON', file: 'truncated.json', row: 2, column: null, message: /truncated JSON: the file ends inside object 2/ },
  { kind: 'JSON entry without scores', file: 'json-missing-scores.json', row: 2, column: 'scores', message: /missing field "scores"/ },
];

describe('bad input is refused with file, row and column, and the workspace is left exactly as it was', () => {
  for (const c of cases) {
    it(c.kind, async () => {
      const db = await populated();
      const before = dump(db);
      const err = await importFile(db, at(c.file), { format: c.format ?? 'auto', name: 'bad' }, quietContext()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'FILE_FORMAT', details: { file: at(c.file), row: c.row, column: c.column } });
      expect((err as Error).message).toMatch(c.message);
      expect((err as Error).message).toContain(at(c.file));
      expect(dump(db)).toEqual(before);
      expect(db.inTransaction).toBe(false);
    });
  }

  it('a cancelled import is rolled back too', async () => {
    const db = await populated();
    const before = dump(db);
    const abort = new AbortController();
    abort.abort();
    await expect(importFile(db, at('ok.json'), {}, quietContext(undefined, abort.signal))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(dump(db)).toEqual(before);
  });
});

describe('an import in flight', () => {
  it('is invisible to the workspace, and writes made meanwhile survive its failure', async () => {
    const db = await populated();
    const datasetsBefore = dump(db).datasets;
    let seen = -1;
    const onProgress = () => {
      if (seen >= 0) return;
      seen = (db.prepare('SELECT COUNT(*) AS n FROM queries').get() as { n: number }).n;
      db.prepare("INSERT INTO meta (key, value) VALUES ('written-meanwhile', 'yes')").run();
    };
    await expect(importFile(db, at('non-numeric-label.csv'), {}, quietContext(onProgress))).rejects.toMatchObject({ code: 'FILE_FORMAT' });
    expect(seen).toBe(40); // only the earlier dataset's queries
    expect(db.prepare("SELECT value FROM meta WHERE key = 'written-meanwhile'").pluck().get()).toBe('yes');
    expect(dump(db).datasets).toEqual(datasetsBefore);
  });
});
