import type { CsvTable } from './csv-records';
import { columnIndex, requireColumn } from './csv-records';
import type { DatasetBuilder } from './dataset-builder';
import { textHash } from '../store/datasets';
import { amountCell, countCell, scoreCell, taskCell, textCell } from './values';

// Column names of the long layout (IRT-Router, NVIDIA's router toolkit), matched case-insensitively.
export const longColumns = {
  question: ['question', 'prompt'],
  model: ['llm', 'model'],
  score: ['performance', 'correct', 'iscorrect', 'score'],
  id: ['id', 'query_id', 'sample_id'],
  task: ['task'],
  inputTokens: ['input_tokens'],
  outputTokens: ['output_tokens'],
  cost: ['cost'],
} as const;

/**
 * Long CSV: one row per query x model. Rows of one query meet by id (or, without an id column,
 * by the hash of the question text), wherever they are in the file.
 */
export async function importLongCsv(file: string, table: CsvTable, into: DatasetBuilder, task: string | null): Promise<void> {
  const { header } = table;
  const question = requireColumn(file, header, longColumns.question, 'question');
  const model = requireColumn(file, header, longColumns.model, 'model');
  const score = requireColumn(file, header, longColumns.score, 'score');
  const id = columnIndex(header, longColumns.id);
  const taskCol = columnIndex(header, longColumns.task);
  const inTok = columnIndex(header, longColumns.inputTokens);
  const outTok = columnIndex(header, longColumns.outputTokens);
  const cost = columnIndex(header, longColumns.cost);
  for await (const r of table.records) {
    const f = r.fields;
    const at = (c: number) => ({ file, row: r.row, column: header[c] });
    const text = textCell(f[question], at(question), 'question');
    const name = textCell(f[model], at(model), 'model name').trim();
    const key = id === -1 ? textHash(text) : textCell(f[id], at(id), 'query id');
    const inputTokens = inTok === -1 ? null : countCell(f[inTok], at(inTok));
    const q = into.queryFor(file, r.row, header[id] ?? header[question], key, text, () => ({
      extId: id === -1 ? `q${into.stats.queries + 1}` : key,
      text,
      task: (taskCol === -1 ? null : taskCell(f[taskCol], at(taskCol))) ?? task,
      inputTokens,
    }));
    into.label(
      file,
      r.row,
      header[score],
      q,
      into.model(name, at(model)),
      scoreCell(f[score], at(score)),
      inputTokens,
      outTok === -1 ? null : countCell(f[outTok], at(outTok)),
      cost === -1 ? null : amountCell(f[cost], at(cost)),
    );
    into.rowDone();
  }
}
