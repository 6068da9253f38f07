import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { LabelMatrix } from '../../src/main/engine/data/matrix';
import { routerbenchDir } from './engine';

export const routerbenchTasks = ['arc_challenge', 'mbpp', 'winogrande'] as const;
export const trainFiles = routerbenchTasks.map((t) => join(routerbenchDir, `${t}_train.csv`));
export const testFiles = routerbenchTasks.map((t) => join(routerbenchDir, `${t}_test.csv`));

/**
 * Reads RouterBench wide CSVs straight into a LabelMatrix, independently of the importer, so
 * that tests of later stages do not depend on it and tests of the importer can compare with it.
 */
export function readRouterbench(files: string[]): LabelMatrix {
  const rows = files.flatMap((f) => parse(readFileSync(f), { columns: true, skip_empty_lines: true }) as Record<string, string>[]);
  const header = Object.keys(rows[0]);
  const models = header.filter((h) => h.endsWith('|total_cost')).map((h) => h.slice(0, -'|total_cost'.length));
  const n = rows.length;
  const k = models.length;
  const m: LabelMatrix = {
    datasetId: null,
    models,
    queryIds: rows.map((r) => r.sample_id),
    texts: rows.map((r) => r.prompt),
    tasks: rows.map((r) => r.eval_name || null),
    scores: new Float32Array(n * k),
    costs: new Float64Array(n * k),
    inputTokens: new Float64Array(n * k).fill(NaN),
    outputTokens: new Float64Array(n * k).fill(NaN),
  };
  rows.forEach((r, i) =>
    models.forEach((model, j) => {
      m.scores[i * k + j] = r[model] === '' ? NaN : Number(r[model]);
      m.costs[i * k + j] = r[`${model}|total_cost`] === '' ? NaN : Number(r[`${model}|total_cost`]);
    }),
  );
  return m;
}
