import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import { memoryEngine, scratchDir } from '../../../helpers/engine';
import { dump } from '../../../helpers/dump';
import { readRouterbench, trainFiles } from '../../../helpers/routerbench';
import { writeRowsParquet, writeWideParquet } from '../../../helpers/parquet';
import { MAX_RECORD_CHARS } from '../../../../src/main/engine/data/csv-tokenizer';

// Parquet files import through the same layouts, checks and errors as CSV, one row group at a time.
const scratch = scratchDir('routeplan-parquet-');
afterAll(() => scratch.cleanup());

describe('Parquet import', () => {
  it('RouterBench mbpp train as wide-layout Parquet (row groups of 100) imports equal to the CSV, cell by cell', async () => {
    const truth = readRouterbench([trainFiles[1]]);
    const file = join(scratch.dir, 'mbpp_train.parquet');
    writeWideParquet(file, truth, 100);
    const db = openDatabase(':memory:');
    const r = await importFile(db, file, {}, quietContext());
    expect(r).toMatchObject({ format: 'wide-csv', queries: truth.texts.length, models: truth.models.length });
    const m = loadLabelMatrix(db, r.datasetId!);
    expect(m.models).toEqual(truth.models);
    expect(m.texts).toEqual(truth.texts);
    expect(m.tasks).toEqual(truth.tasks);
    expect(Array.from(m.scores)).toEqual(Array.from(truth.scores));
    expect(Array.from(m.costs)).toEqual(Array.from(truth.costs));
  });

  it('through the engine, row groups decode in worker threads and give the same dataset', async () => {
    const truth = readRouterbench([trainFiles[0]]);
    const file = join(scratch.dir, 'arc_train.parquet');
    writeWideParquet(file, truth, 150);
    const engine = memoryEngine();
    try {
      const r = await engine.call('data.import', { file });
      expect(r).toMatchObject({ format: 'wide-csv', queries: truth.texts.length });
      const m = loadLabelMatrix(engine.services.db(), r.datasetId!);
      expect(m.texts).toEqual(truth.texts);
      expect(Array.from(m.scores)).toEqual(Array.from(truth.scores));
      expect(Array.from(m.costs)).toEqual(Array.from(truth.costs));
    } finally {
      engine.close();
    }
  });

  it('long and pairwise layouts, detected from the Parquet schema', async () => {
    const long = join(scratch.dir, 'long.parquet');
    writeRowsParquet(long, [{ name: 'question', type: 'STRING' }, { name: 'model', type: 'STRING' }, { name: 'isCorrect', type: 'INT32' }, { name: 'output_tokens', type: 'INT32' }], [
      ['What is 2+2?', 'a', 1, 5],
      ['What is 2+2?', 'b', 0, null],
      ['Name a colour', 'a', 0, 7],
    ]);
    const db = openDatabase(':memory:');
    const r = await importFile(db, long, {}, quietContext());
    expect(r).toMatchObject({ format: 'long-csv', queries: 2, models: 2, labels: 3 });
    const m = loadLabelMatrix(db, r.datasetId!);
    expect(Array.from(m.scores).slice(0, 3)).toEqual([1, 0, 0]);
    expect(Array.from(m.outputTokens).slice(0, 2).map((x) => (Number.isNaN(x) ? null : x))).toEqual([5, null]);
    const pw = join(scratch.dir, 'pairwise.parquet');
    writeRowsParquet(pw, [{ name: 'prompt', type: 'STRING' }, { name: 'model_a', type: 'STRING' }, { name: 'model_b', type: 'STRING' }, { name: 'winner', type: 'STRING' }], [
      ['Hi', 'x', 'y', 'model_a'],
      ['Hi', 'y', 'x', 'tie'],
    ]);
    const p = await importFile(db, pw, {}, quietContext());
    expect(p).toMatchObject({ format: 'pairwise', queries: 1, labels: 2 });
    expect(Array.from(loadLabelMatrix(db, p.datasetId!).scores)).toEqual([0.75, 0.25]);
  });

  it('a bad value names its row (data rows count from 2, as in CSV) and column; a truncated file is refused; nothing is written', async () => {
    const db = openDatabase(':memory:');
    const before = dump(db);
    const bad = join(scratch.dir, 'bad.parquet');
    writeRowsParquet(bad, [{ name: 'question', type: 'STRING' }, { name: 'model', type: 'STRING' }, { name: 'score', type: 'DOUBLE' }], [
      ['q1', 'a', 1],
      ['q1', 'b', 0],
      ['q2', 'a', 1.5],
    ]);
    await expect(importFile(db, bad, {}, quietContext())).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { row: 4, column: 'score' } });
    const cut = join(scratch.dir, 'cut.parquet');
    const bytes = readFileSync(bad);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 20));
    await expect(importFile(db, cut, {}, quietContext())).rejects.toMatchObject({ code: 'FILE_FORMAT', message: expect.stringContaining('cut.parquet') });
    await expect(importFile(db, bad, { format: 'json' }, quietContext())).rejects.toMatchObject({ code: 'FILE_FORMAT', message: expect.stringMatching(/Parquet file holds a table/) });
    expect(dump(db)).toEqual(before);
  });

  it('a cell over the per-record limit (16 Mi characters, as CSV and JSON) is refused naming its row group, row and column; a page that can only hold such cells before it is decoded', async () => {
    const db = openDatabase(':memory:');
    const before = dump(db);
    const cols = [{ name: 'question', type: 'STRING' as const }, { name: 'model', type: 'STRING' as const }, { name: 'score', type: 'DOUBLE' as const }];
    const huge = 'x'.repeat(MAX_RECORD_CHARS + 1024);
    const alone = join(scratch.dir, 'huge-cell.parquet');
    writeRowsParquet(alone, cols, [['q1', 'a', 1], ['q2', 'a', 0], [huge, 'b', 1]], 2);
    // Row group 2 holds one row: its page's size says the cell is over the limit, before decoding.
    await expect(importFile(db, alone, {}, quietContext())).rejects.toMatchObject({ code: 'FILE_FORMAT', message: expect.stringMatching(/row group 2.*per-record limit/), details: { row: 4, column: 'question', reason: 'record-limit', page: expect.any(Number) } });
    const justOver = 'x'.repeat(MAX_RECORD_CHARS + 1);
    const mixed = join(scratch.dir, 'huge-among-short.parquet');
    writeRowsParquet(mixed, cols, [['q1', 'a', 1], ...Array.from({ length: 3 }, (_, i) => [`q${i + 2}`, 'a', 0]), [justOver, 'b', 1]], 10);
    await expect(importFile(db, mixed, {}, quietContext())).rejects.toMatchObject({ code: 'FILE_FORMAT', message: expect.stringMatching(/row group 1.*per-record limit/), details: { row: 6, column: 'question', reason: 'record-limit' } });
    expect(dump(db)).toEqual(before);
  });

  it('a Parquet schema with two columns of one name (any case, spacing) is refused naming both, as a CSV header is', async () => {
    const db = openDatabase(':memory:');
    const before = dump(db);
    const twice = join(scratch.dir, 'twice.parquet');
    writeRowsParquet(twice, [{ name: 'question', type: 'STRING' }, { name: 'model', type: 'STRING' }, { name: 'score', type: 'DOUBLE' }, { name: 'SCORE ', type: 'DOUBLE' }], [['q1', 'a', 1, 0]]);
    await expect(importFile(db, twice, {}, quietContext())).rejects.toMatchObject({ code: 'FILE_FORMAT', message: expect.stringMatching(/duplicate column: columns 3 \("score"\) and 4 \("SCORE"\)/) });
    expect(dump(db)).toEqual(before);
  });
});
