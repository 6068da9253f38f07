import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { datasetSummaries } from '../../../../src/main/engine/store/datasets';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { scratchDir } from '../../../helpers/engine';
import { writeLongCsv } from '../../../helpers/long-csv';

describe('streaming import of a large long CSV', () => {
  it('imports 100,000 rows with bounded memory growth and counts every label', async () => {
    const { dir, cleanup } = scratchDir();
    try {
      const file = join(dir, 'long.csv');
      const gen = writeLongCsv(file, 100_000);
      const db = openDatabase(join(dir, 'w.sqlite'));
      global.gc?.();
      const base = process.memoryUsage().rss;
      let peak = base;
      let updates = 0;
      const r = await importFile(db, file, {}, quietContext(() => {
        updates++;
        peak = Math.max(peak, process.memoryUsage().rss);
      }));
      expect(r).toMatchObject({ rows: 100_000, queries: gen.queries, models: 10, labels: 100_000, missingLabels: gen.missing });
      // Generous bound: the importer holds one chunk and a map of query ids, never the file.
      expect((peak - base) / 2 ** 20).toBeLessThan(300);
      expect(updates).toBeGreaterThan(3); // progress by bytes read, several times along the way
      const [s] = datasetSummaries(db);
      expect(s.models.reduce((n, m) => n + m.labelled, 0)).toBe(100_000 - gen.missing);
      db.close();
    } finally {
      cleanup();
    }
  });
});
