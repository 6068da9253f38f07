import { z } from 'zod';
import { fileError } from '../../../shared/errors';

/** One line of `routeplan route`'s input. `prompt` is accepted as an alias of `text`. */
export const QueryLine = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string().optional(),
  prompt: z.string().optional(),
  task: z.string().nullable().optional(),
  input_tokens: z.number().int().nonnegative().optional(),
  models: z.array(z.string()).min(1).optional().describe('restrict the choice to these models'),
});

export interface RouteQuery {
  id: string;
  text: string;
  task: string | null;
  inputTokens: number | null;
  /** Column indices the query may go to; null = any model. */
  allowed: Int32Array | null;
}

/**
 * Parses one JSONL line (1-based `row`) against the policy's model list. A malformed line or a
 * query naming a model the policy lacks is refused with its row, never skipped.
 */
export function parseQueryLine(line: string, row: number, modelIndex: Map<string, number>, file = 'stdin'): RouteQuery {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    throw fileError(file, row, null, `malformed JSON line (${(err as Error).message})`);
  }
  const parsed = QueryLine.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw fileError(file, row, i.path.join('.') || null, i.message);
  }
  const q = parsed.data;
  const text = q.text ?? q.prompt;
  if (text == null) throw fileError(file, row, 'text', 'a query needs "text" (or "prompt")');
  let allowed: Int32Array | null = null;
  if (q.models) {
    allowed = new Int32Array(q.models.length);
    q.models.forEach((m, j) => {
      const k = modelIndex.get(m);
      if (k === undefined) throw fileError(file, row, 'models', `the policy has no model "${m}" (it has: ${[...modelIndex.keys()].join(', ')})`, { model: m });
      allowed![j] = k;
    });
  }
  return { id: q.id != null ? String(q.id) : String(row), text, task: q.task ?? null, inputTokens: q.input_tokens ?? null, allowed };
}

/** Splits text into non-empty lines with their 1-based row numbers. */
export function* jsonlLines(text: string): Generator<[string, number]> {
  let row = 0;
  for (const line of text.split('\n')) {
    row++;
    if (line.trim() !== '') yield [line, row];
  }
}
