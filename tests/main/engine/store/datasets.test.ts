import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { beginDataset, datasetSummaries, deleteDataset, loadLabelMatrix, loadLabelMatrixByName } from '../../../../src/main/engine/store/datasets';

function sample() {
  const db = openDatabase(':memory:');
  const w = db.transaction(() => {
    const w = beginDataset(db, { name: 'tiny', source: 'test', format: 'long-csv', contentHash: 'h1', createdAt: new Date(0) });
    const b = w.model('beta'); // first appearance fixes the column order
    const a = w.model('alpha');
    const q1 = w.addQuery({ extId: 'q1', text: 'one', task: 't', inputTokens: 10 });
    const q2 = w.addQuery({ extId: 'q2', text: 'two', task: null, inputTokens: null });
    w.addLabel(q1, a, 1, null, 5, 0.5);
    w.addLabel(q1, b, 0, 12, 6, 0.25);
    w.addLabel(q2, a, null, null, null, null); // missing label
    w.addLabel(q2, b, 1, 3, 4, 0.75);
    return w;
  })();
  return { db, w };
}

describe('dataset repository', () => {
  it('loads a matrix in file order with NaN for missing labels, never zero', () => {
    const { db, w } = sample();
    const m = loadLabelMatrix(db, w.datasetId);
    expect(m.models).toEqual(['beta', 'alpha']);
    expect(m.queryIds).toEqual(['q1', 'q2']);
    expect(Array.from(m.scores)).toEqual([0, 1, 1, NaN]);
    expect(Array.from(m.costs)).toEqual([0.25, 0.5, 0.75, NaN]);
    // query-level input tokens fill in where the label has none
    expect(Array.from(m.inputTokens)).toEqual([12, 10, 3, NaN]);
    expect(loadLabelMatrixByName(db, 'tiny').texts).toEqual(['one', 'two']);
    expect(() => loadLabelMatrixByName(db, 'nope')).toThrow(/no dataset named/);
  });

  it('summarises accuracy over non-missing labels only', () => {
    const { db } = sample();
    const [s] = datasetSummaries(db);
    expect(s.queries).toBe(2);
    expect(s.models.map((m) => m.model)).toEqual(['beta', 'alpha']);
    const alpha = s.models[1];
    expect(alpha.accuracy).toBe(1); // 1 of 1 labelled, the missing one is not a zero
    expect(alpha.labelled).toBe(1);
    expect(alpha.meanCost).toBe(0.5);
    expect(s.models[0].accuracy).toBe(0.5);
  });

  it('refuses a second dataset of the same name and deletes with cascade', () => {
    const { db, w } = sample();
    expect(() => beginDataset(db, { name: 'tiny', source: 's', format: 'f', contentHash: null, createdAt: new Date(0) })).toThrow(/already exists/);
    expect(deleteDataset(db, w.datasetId)).toBe(true);
    for (const t of ['datasets', 'queries', 'labels', 'models', 'dataset_models']) {
      expect((db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n).toBe(0);
    }
    expect(deleteDataset(db, w.datasetId)).toBe(false);
  });
});
