import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { datasetSummaries, loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import { importFile, importFiles } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { readRouterbench, trainFiles, testFiles } from '../../../helpers/routerbench';

describe('RouterBench wide CSV import', () => {
  it('imports the three train files as ONE dataset equal to the files, cell by cell', async () => {
    const db = openDatabase(':memory:');
    const fractions: number[] = [];
    const [r] = await importFiles(db, trainFiles, { format: 'auto' }, quietContext((u) => fractions.push(u.fraction)));
    expect(r).toMatchObject({ kind: 'dataset', format: 'wide-csv', queries: 2225, models: 11, labels: 2225 * 11, datasetName: 'routerbench-train' });
    const expected = readRouterbench(trainFiles);
    const m = loadLabelMatrix(db, r.datasetId!);
    expect(m.models).toEqual(expected.models);
    // RouterBench reuses a few sample_ids for different prompts: those become "<id>#2".
    expect(m.queryIds.map((id) => id.replace(/#\d+$/, ''))).toEqual(expected.queryIds);
    expect(new Set(m.queryIds).size).toBe(2225);
    expect(m.texts).toEqual(expected.texts);
    expect(m.tasks).toEqual(expected.tasks);
    // Missing cells stay NaN (never zero), present cells are equal.
    expect(Array.from(m.scores)).toEqual(Array.from(expected.scores));
    expect(Array.from(m.costs)).toEqual(Array.from(expected.costs));
    expect(r.missingLabels).toBe(Array.from(expected.scores).filter(Number.isNaN).length);
    // progress is by bytes, monotone, ending at 1
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);

    // per-model accuracy of the summary equals the files' (mean over non-missing labels)
    const [summary] = datasetSummaries(db);
    expect(summary.queries).toBe(2225);
    expected.models.forEach((model, j) => {
      let sum = 0, n = 0, cost = 0, nc = 0;
      for (let i = 0; i < 2225; i++) {
        const v = expected.scores[i * 11 + j];
        if (!Number.isNaN(v)) { sum += v; n++; }
        const c = expected.costs[i * 11 + j];
        if (!Number.isNaN(c)) { cost += c; nc++; }
      }
      const got = summary.models.find((x) => x.model === model)!;
      expect(got.labelled).toBe(n);
      expect(got.accuracy).toBeCloseTo(sum / n, 12);
      expect(got.meanCost).toBeCloseTo(cost / nc, 12);
    });
  });

  it('refuses the same content twice with CONFLICT and leaves one dataset', async () => {
    const db = openDatabase(':memory:');
    await importFile(db, testFiles[1], { name: 'first' }, quietContext());
    await expect(importFile(db, testFiles[1], { name: 'second' }, quietContext())).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already imported: dataset "first"/) });
    expect(datasetSummaries(db).map((d) => d.name)).toEqual(['first']);
    // the same files in another order are the same content
    await importFiles(db, [testFiles[0], testFiles[2]], {}, quietContext());
    await expect(importFiles(db, [testFiles[2], testFiles[0]], {}, quietContext())).rejects.toMatchObject({ code: 'CONFLICT' });
    // or, asked to, reuses the dataset already there
    const [again] = await importFiles(db, [testFiles[1]], { ifExists: 'reuse' }, quietContext());
    expect(again).toMatchObject({ reused: true, datasetName: 'first', queries: 128, models: 11 });
    expect(datasetSummaries(db)).toHaveLength(2);
  });
});
