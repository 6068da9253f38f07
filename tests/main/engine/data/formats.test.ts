import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import { listCatalog, listDeployments, listInventory } from '../../../../src/main/engine/store/catalog';
import { defaultDatasetName, importFile, importFiles } from '../../../../src/main/engine/data/import';
import { detectFormat } from '../../../../src/main/engine/data/detect';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { repoRoot, scratchDir } from '../../../helpers/engine';

const at = (name: string) => join(repoRoot, 'tests/fixtures/data', name);
const ctx = quietContext();

describe('accepted formats', () => {
  it('detects each format from its first bytes', () => {
    expect(detectFormat(at('long-ok.csv'))).toBe('long-csv');
    expect(detectFormat(at('out-of-range.csv'))).toBe('wide-csv');
    expect(detectFormat(at('ok.json'))).toBe('json');
    expect(detectFormat(at('ok.jsonl'))).toBe('json');
    expect(detectFormat(at('catalog-ok.csv'))).toBe('catalog');
    expect(detectFormat(at('inventory-ok.json'))).toBe('inventory');
    expect(() => detectFormat(at('empty.csv'))).toThrow(/empty/);
  });

  it('long CSV: rows of a query meet, tokens and costs kept per label', async () => {
    const db = openDatabase(':memory:');
    const r = await importFile(db, at('long-ok.csv'), {}, ctx);
    expect(r).toMatchObject({ kind: 'dataset', format: 'long-csv', rows: 80, queries: 40, models: 2, labels: 80, missingLabels: 0 });
    const m = loadLabelMatrix(db, r.datasetId!);
    expect(m.models).toEqual(['alpha', 'beta']);
    expect(m.texts[3]).toBe('What is 3 plus 3?');
    expect(m.tasks[3]).toBe('math');
    expect([m.scores[6], m.scores[7]]).toEqual([1, 0]); // (3+0)%2, (3+1)%2
    expect([m.outputTokens[6], m.outputTokens[7], m.inputTokens[7]]).toEqual([5, 6, 13]);
    expect(m.costs[7]).toBeCloseTo(0.002, 12);
  });

  it('JSON and JSON lines: booleans are labels, null is missing (never zero), models in order of appearance', async () => {
    const db = openDatabase(':memory:');
    const a = await importFile(db, at('ok.json'), {}, ctx);
    const m = loadLabelMatrix(db, a.datasetId!);
    expect(m.queryIds).toEqual(['a', 'b']);
    expect(Array.from(m.scores)).toEqual([1, NaN, 0, 1]);
    expect(m.tasks).toEqual(['math', null]);
    const b = await importFile(db, at('ok.jsonl'), { task: 'trivia' }, ctx);
    const n = loadLabelMatrix(db, b.datasetId!);
    expect(n.models).toEqual(['alpha', 'beta']);
    expect(Array.from(n.scores)).toEqual([1, 0.5, NaN, 1]); // absent model = missing
    expect(n.tasks).toEqual(['trivia', 'trivia']);
    expect(b.missingLabels).toBe(0); // absent keys are not labels at all
    expect(b.datasetName).toBe('ok (2)'); // a default name is numbered; an explicit taken --name is refused
    await expect(importFile(db, at('long-ok.csv'), { name: 'ok' }, ctx)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('catalog (with an extra deployment row) and inventory are idempotent upserts', async () => {
    const db = openDatabase(':memory:');
    await importFile(db, at('long-ok.csv'), {}, ctx);
    for (let i = 0; i < 2; i++) await importFiles(db, [at('catalog-ok.csv'), at('inventory-ok.json')], {}, ctx);
    expect(listCatalog(db)).toEqual([
      { model: 'alpha', priceInPerM: 0.5, priceOutPerM: 1.5, gpuType: null, gpusPerInstance: null, slotsPerInstance: null, decodeTokensPerS: null, prefillTokensPerS: null, rateLimitQps: 10, architecture: null },
      { model: 'beta', priceInPerM: 0.2, priceOutPerM: 0.2, gpuType: 'H100-80GB', gpusPerInstance: 1, slotsPerInstance: 16, decodeTokensPerS: 60, prefillTokensPerS: 2000, rateLimitQps: null, architecture: null },
    ]);
    expect(listDeployments(db)).toEqual([{ model: 'beta', gpuType: 'A100-80GB', gpusPerInstance: 1, slotsPerInstance: 16, decodeTokensPerS: 40, prefillTokensPerS: 1500 }]);
    expect(listInventory(db).map((g) => [g.gpuType, g.count])).toEqual([['A100-80GB', 8], ['H100-80GB', 16]]);
  });

  it('a dataset and its catalog in one call: the catalog sees the new models', async () => {
    const db = openDatabase(':memory:');
    const [d, c] = await importFiles(db, [at('catalog-ok.csv'), at('long-ok.csv')], { name: 'both' }, ctx);
    expect(d).toMatchObject({ kind: 'dataset', datasetName: 'both' });
    expect(c).toMatchObject({ kind: 'catalog', rows: 3 });
  });

  it('names a multi-file dataset after the common prefix, else folder and common suffix', () => {
    expect(defaultDatasetName(['/d/routerbench/arc_train.csv', '/d/routerbench/mbpp_train.csv'])).toBe('routerbench-train');
    expect(defaultDatasetName(['/d/x/evals-2024-a.csv', '/d/x/evals-2024-b.csv'])).toBe('evals-2024');
    expect(defaultDatasetName(['/d/x/one.csv'])).toBe('one');
  });

  it('a CRLF file with quoted multi-line prompts imports with the text intact', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const f = join(dir, 'crlf.csv');
      writeFileSync(f, 'question,llm,performance\r\n"Line one\r\nline two, with a comma",m1,true\r\n"Line one\r\nline two, with a comma",m2,FALSE\r\n');
      const db = openDatabase(':memory:');
      const r = await importFile(db, f, {}, ctx);
      const m = loadLabelMatrix(db, r.datasetId!);
      expect(m.texts).toEqual(['Line one\r\nline two, with a comma']);
      expect(Array.from(m.scores)).toEqual([1, 0]);
    } finally {
      cleanup();
    }
  });
});

describe('files that cannot be read', () => {
  it('a missing file is NOT_FOUND and a folder is INVALID_INPUT, naming the path', async () => {
    const db = openDatabase(':memory:');
    await expect(importFile(db, at('no-such-file.csv'), {}, ctx)).rejects.toMatchObject({ code: 'NOT_FOUND', details: { file: at('no-such-file.csv') } });
    await expect(importFile(db, join(repoRoot, 'tests/fixtures/data'), {}, ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('tab-separated files', () => {
  it('a TSV is read by its tab separator, commas in fields are text', async () => {
    const db = openDatabase(':memory:');
    expect(detectFormat(at('ok.tsv'))).toBe('long-csv');
    const r = await importFile(db, at('ok.tsv'), {}, ctx);
    const m = loadLabelMatrix(db, r.datasetId!);
    expect(m.texts).toEqual(['A, b', 'C']);
    expect(Array.from(m.scores)).toEqual([1, NaN, NaN, NaN]);
    expect(r.missingLabels).toBe(1);
  });
});
