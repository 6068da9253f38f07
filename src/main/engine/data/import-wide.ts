import { fileError } from '../../../shared/errors';
import type { CsvTable } from './csv-records';
import { columnIndex, requireColumn } from './csv-records';
import type { DatasetBuilder } from './dataset-builder';
import { amountCell, scoreCell, taskCell, textCell } from './values';

const COST = '|total_cost';

/** The models of a RouterBench header: the names that have a `<model>|total_cost` column. */
export function wideModels(header: string[]): string[] {
  return header.filter((h) => h.endsWith(COST)).map((h) => h.slice(0, -COST.length));
}

/**
 * RouterBench's wide CSV: one row per query; `<model>` holds the correctness, `<model>|total_cost`
 * the realised cost; `<model>|model_response`, `oracle_model_to_route_to` and the unnamed first
 * column are ignored.
 */
export async function importWideCsv(file: string, table: CsvTable, into: DatasetBuilder, task: string | null): Promise<void> {
  const { header } = table;
  const names = wideModels(header);
  if (names.length === 0) throw fileError(file, 1, '<model>|total_cost', 'missing column: no "<model>|total_cost" columns, so no models (is this a long CSV? pass --format long-csv)');
  const prompt = requireColumn(file, header, ['prompt', 'question'], 'prompt');
  const id = columnIndex(header, ['sample_id', 'id', 'query_id']);
  const taskCol = columnIndex(header, ['eval_name', 'task']);
  const models = names.map((name) => {
    const score = header.indexOf(name);
    if (score === -1) throw fileError(file, 1, name, `missing column: "${name}${COST}" is present but the correctness column "${name}" is not`);
    return { name, score, cost: header.indexOf(name + COST), position: into.model(name, { file, row: 1, column: name }) };
  });
  for await (const r of table.records) {
    const f = r.fields;
    const extId = id === -1 ? `row-${r.row}` : textCell(f[id], { file, row: r.row, column: header[id] }, 'query id');
    const text = textCell(f[prompt], { file, row: r.row, column: header[prompt] }, 'prompt');
    const q = into.newQuery(file, r.row, header[id] ?? header[prompt], { extId, text, task: (taskCol === -1 ? null : taskCell(f[taskCol], { file, row: r.row, column: header[taskCol] })) ?? task, inputTokens: null });
    for (const m of models) {
      const score = scoreCell(f[m.score], { file, row: r.row, column: m.name });
      const cost = amountCell(f[m.cost], { file, row: r.row, column: header[m.cost] });
      into.label(file, r.row, m.name, q, m.position, score, null, null, cost);
    }
    into.rowDone();
  }
}
