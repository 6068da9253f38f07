import { z } from 'zod';
import { fileError } from '../../../shared/errors';
import type { DatasetBuilder } from './dataset-builder';
import type { JsonRecord } from './json-records';
import { amountCell, countCell, normalName, scoreCell } from './values';

const cellValue = z.union([z.number(), z.boolean(), z.string(), z.null()]);

/** One query of a JSON dataset: `{question, scores: {model: value}, task?}`, plus optional extras. */
export const JsonQuery = z.object({
  id: z.union([z.string().min(1), z.number()]).optional(),
  question: z.string().min(1, 'the question is empty'),
  scores: z.record(z.string().min(1), cellValue).refine((s) => Object.keys(s).length > 0, 'no models in "scores"'),
  task: z.string().nullable().optional(),
  costs: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).optional(),
  input_tokens: z.number().nullable().optional(),
  output_tokens: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).optional(),
});

export async function importJsonDataset(file: string, records: AsyncIterable<JsonRecord>, into: DatasetBuilder, task: string | null): Promise<void> {
  let rows = 0;
  for await (const r of records) {
    // `prompt` is a common alias of `question`.
    const raw = r.value.question === undefined && typeof r.value.prompt === 'string' ? { ...r.value, question: r.value.prompt } : r.value;
    const parsed = JsonQuery.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const column = issue.path.join('.') || null;
      throw fileError(file, r.row, column, issue.code === 'invalid_type' && issue.path.length === 1 && (raw as Record<string, unknown>)[String(issue.path[0])] === undefined ? `missing field "${column}"` : issue.message, { line: r.line });
    }
    const q = parsed.data;
    const extId = q.id === undefined ? `row-${r.row}` : String(q.id);
    const inputTokens = countCell(q.input_tokens ?? null, { file, row: r.row, column: 'input_tokens' });
    const taskName = q.task == null || q.task.trim() === '' ? task : normalName(q.task, { file, row: r.row, column: 'task' }, 'task');
    const queryId = into.newQuery(file, r.row, 'id', { extId, text: q.question, task: taskName, inputTokens });
    // The per-model maps as JSON.parse made them (own keys, `__proto__` included): zod's record
    // output would drop a `__proto__` key silently; lookups take own keys only, so a model named
    // `constructor` or `toString` finds no inherited method.
    const scores = (raw as Record<string, unknown>).scores as Record<string, unknown>;
    const own = (m: Record<string, unknown> | undefined, key: string) => (m && Object.hasOwn(m, key) ? m[key] : null);
    const costs = (raw as Record<string, unknown>).costs as Record<string, unknown> | undefined;
    const outTokens = (raw as Record<string, unknown>).output_tokens as Record<string, unknown> | undefined;
    for (const [model, value] of Object.entries(scores)) {
      const column = `scores.${model}`;
      const position = into.model(model, { file, row: r.row, column });
      const score = scoreCell(value as string | number | boolean | null, { file, row: r.row, column });
      const cost = amountCell(own(costs, model) as string | number | null, { file, row: r.row, column: `costs.${model}` });
      const out = countCell(own(outTokens, model) as string | number | null, { file, row: r.row, column: `output_tokens.${model}` });
      into.label(file, r.row, column, queryId, position, score, inputTokens, out, cost);
    }
    into.rowDone();
    rows++;
  }
  if (rows === 0) throw fileError(file, null, null, 'the file holds no queries (an empty list)');
}
