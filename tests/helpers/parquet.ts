import { parquetWriteBuffer, parquetWriteFile } from 'hyparquet-writer';
import type { LabelMatrix } from '../../src/main/engine/data/matrix';
import { longColumns, longRows } from './long-csv';

/** A LabelMatrix written as a RouterBench-layout (wide) Parquet file, `rowGroupSize` rows per group. */
export function writeWideParquet(path: string, m: LabelMatrix, rowGroupSize = 1000): void {
  const k = m.models.length;
  const col = (j: number, a: Float32Array | Float64Array) => Array.from({ length: m.texts.length }, (_, i) => (Number.isNaN(a[i * k + j]) ? null : a[i * k + j]));
  parquetWriteFile({
    filename: path,
    rowGroupSize,
    columnData: [
      { name: 'sample_id', data: m.queryIds, type: 'STRING' },
      { name: 'prompt', data: m.texts, type: 'STRING' },
      { name: 'eval_name', data: m.tasks.map((t) => t ?? null), type: 'STRING', nullable: true },
      ...m.models.flatMap((name, j) => [
        { name, data: col(j, m.scores), type: 'DOUBLE' as const, nullable: true },
        { name: `${name}|total_cost`, data: col(j, m.costs), type: 'DOUBLE' as const, nullable: true },
      ]),
    ],
  });
}

/** Rows of named columns (strings, numbers, nulls) as a Parquet file. */
export function writeRowsParquet(path: string, columns: { name: string; type: 'STRING' | 'DOUBLE' | 'INT32' }[], rows: (string | number | null)[][], rowGroupSize = 2): void {
  parquetWriteFile({
    filename: path,
    rowGroupSize,
    columnData: columns.map((c, j) => ({ name: c.name, type: c.type, nullable: true, data: rows.map((r) => r[j]) as never })),
  });
}

/** longRows (tests/helpers/long-csv.ts) as a Parquet file: the same dataset as writeLongCsv's. */
export function writeLongParquet(path: string, rows: number, rowGroupSize = 100_000, models = 10): void {
  const cols: (string | number | null)[][] = longColumns.map(() => new Array(rows));
  let r = 0;
  for (const row of longRows(rows, models)) {
    for (let c = 0; c < row.length; c++) cols[c][r] = row[c];
    r++;
  }
  const types = ['STRING', 'STRING', 'STRING', 'DOUBLE', 'INT32', 'INT32', 'DOUBLE', 'STRING'] as const;
  parquetWriteFile({ filename: path, rowGroupSize, columnData: longColumns.map((name, c) => ({ name, type: types[c], nullable: true, data: cols[c] as never })) });
}

/**
 * A simple CSV text (no quoted fields) as Parquet bytes: a column of plain decimals is DOUBLE, any
 * other STRING (so hostile numbers such as 0x10 reach the importer as text, as a CSV gives them);
 * empty cells are nulls. For the held-out fuzz.
 */
export function csvTextAsParquet(text: string, rowGroupSize = 3): Buffer {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const columnData = header.map((name, j) => {
    const cells = rows.map((row) => (row[j] === undefined || row[j] === '' ? null : row[j]));
    const numeric = cells.every((c) => c === null || /^-?\d+(\.\d+)?$/.test(c));
    return numeric ? { name, type: 'DOUBLE' as const, nullable: true, data: cells.map((c) => (c === null ? null : Number(c))) } : { name, type: 'STRING' as const, nullable: true, data: cells };
  });
  return Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize }));
}
