import { taskCell } from './values';
import { fileError } from '../../../shared/errors';
import type { DatasetBuilder } from './dataset-builder';
import type { FieldRecord } from './import-catalog';
import { textHash } from '../store/datasets';

// Pairwise preferences (Chatbot Arena / RouteLLM): one row per comparison of two models' answers
// to one prompt. Column names, matched case-insensitively:
//   prompt | question, model_a, model_b, and the outcome as either
//   winner: model_a | model_b | tie | tie (bothbad)   (Chatbot Arena's clean battles)
//   or winner_model_a, winner_model_b, winner_tie: 0/1 one-hot   (LMSYS arena CSV, RouteLLM's source)
// optional: question_id | id, task.
export const pairwiseColumns = {
  prompt: ['prompt', 'question'],
  modelA: ['model_a'],
  modelB: ['model_b'],
  winner: ['winner'],
  oneHot: ['winner_model_a', 'winner_model_b', 'winner_tie'],
  id: ['question_id', 'id', 'query_id'],
  task: ['task', 'category'],
} as const;

/** Whether a header (lower-cased names) is a pairwise layout. */
export function isPairwiseHeader(names: readonly string[]): boolean {
  return names.includes('model_a') && names.includes('model_b') && (names.includes('winner') || names.includes('winner_model_a'));
}

type Outcome = [a: number, b: number];
// A win is a success for the winner and a failure for the loser; a tie is half of each for both
// (neither answer was preferred); "both bad" is a failure for both.
const outcomes: Record<string, Outcome> = {
  model_a: [1, 0],
  a: [1, 0],
  model_b: [0, 1],
  b: [0, 1],
  tie: [0.5, 0.5],
  'tie (bothbad)': [0, 0],
  both_bad: [0, 0],
  bothbad: [0, 0],
};

/**
 * Derives each model's success score on each prompt as its win rate on that prompt, over every
 * comparison it took part in: wins 1, ties 1/2, losses and both-bad 0. A model never compared on
 * a prompt has a missing label there (never a zero). Labels are written once all rows are read.
 */
export async function importPairwise(file: string, records: AsyncIterable<FieldRecord>, into: DatasetBuilder, task: string | null): Promise<{ comparisons: number }> {
  const sums = new Map<number, Map<number, { sum: number; n: number; row: number }>>();
  let header: Record<string, string> | null = null;
  let comparisons = 0;
  for await (const r of records) {
    const v = lowerKeys(r.value);
    header ??= columnsOf(file, r.row, Object.keys(v));
    const at = (col: string) => ({ column: header![col] ?? col });
    const text = promptText(v[header.prompt]);
    if (!text) throw fileError(file, r.row, header.prompt, 'the prompt is empty');
    const a = str(v[header.modelA]).trim().normalize('NFC');
    const b = str(v[header.modelB]).trim().normalize('NFC');
    if (!a) throw fileError(file, r.row, at('modelA').column, 'the model name is empty');
    if (!b) throw fileError(file, r.row, at('modelB').column, 'the model name is empty');
    if (a === b) throw fileError(file, r.row, header.modelB, `model_a and model_b are the same model ("${a}"): a comparison needs two`);
    const outcome = header.winner ? winnerOutcome(file, r.row, header.winner, v[header.winner]) : oneHotOutcome(file, r.row, header, v);
    const id = header.id ? str(v[header.id]).trim() : '';
    const key = id || textHash(text);
    const q = into.queryFor(file, r.row, header.id ?? header.prompt, key, text, () => ({
      extId: id || `q${into.stats.queries + 1}`,
      text,
      task: (header!.task ? taskCell(str(v[header!.task]), { file, row: r.row, column: header!.task }) : null) ?? task,
      inputTokens: null,
    }));
    const perModel = sums.get(q) ?? new Map();
    sums.set(q, perModel);
    for (const [name, score] of [[a, outcome[0]], [b, outcome[1]]] as const) {
      const m = into.model(name, { file, row: r.row, column: name === a ? header.modelA : header.modelB });
      const s = perModel.get(m) ?? { sum: 0, n: 0, row: r.row };
      s.sum += score;
      s.n++;
      perModel.set(m, s);
    }
    comparisons++;
    into.rowDone();
  }
  for (const [q, perModel] of sums) for (const [m, s] of perModel) into.label(file, s.row, header!.winner ?? 'winner_model_a', q, m, s.sum / s.n, null, null, null);
  return { comparisons };
}

const str = (x: unknown): string => (x == null ? '' : typeof x === 'string' ? x : String(x));

function lowerKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, x] of Object.entries(o)) out[k.trim().toLowerCase()] = x;
  return out;
}

function columnsOf(file: string, row: number, names: string[]): Record<string, string> {
  const find = (options: readonly string[]) => options.find((n) => names.includes(n));
  const need = (options: readonly string[], what: string) => {
    const c = find(options);
    if (!c) throw fileError(file, row, options.join('|'), `missing column: ${what} (a pairwise file has ${pairwiseColumns.prompt[0]}, model_a, model_b and winner or winner_model_a/winner_model_b/winner_tie)`);
    return c;
  };
  const cols: Record<string, string> = { prompt: need(pairwiseColumns.prompt, 'the prompt'), modelA: need(pairwiseColumns.modelA, 'model_a'), modelB: need(pairwiseColumns.modelB, 'model_b') };
  const winner = find(pairwiseColumns.winner);
  if (winner) cols.winner = winner;
  else for (const c of pairwiseColumns.oneHot) cols[c] = need([c], c);
  const id = find(pairwiseColumns.id);
  if (id) cols.id = id;
  const t = find(pairwiseColumns.task);
  if (t) cols.task = t;
  return cols;
}

/** The LMSYS arena CSV stores a prompt as a JSON list of turns; a plain string is taken as it is. */
function promptText(x: unknown): string {
  if (Array.isArray(x)) return x.map(str).join('\n');
  const s = str(x);
  const t = s.trimStart();
  if (t.startsWith('[') && t.trimEnd().endsWith(']')) {
    try {
      const turns = JSON.parse(t) as unknown;
      if (Array.isArray(turns) && turns.every((u) => typeof u === 'string')) return turns.join('\n');
    } catch {
      /* not JSON: the prompt is the text itself */
    }
  }
  return s;
}

function winnerOutcome(file: string, row: number, column: string, cell: unknown): Outcome {
  const key = str(cell).trim().toLowerCase();
  // own keys only: a winner named like an Object method (constructor, toString) is no outcome
  const o = Object.hasOwn(outcomes, key) ? outcomes[key] : undefined;
  if (!o) throw fileError(file, row, column, `the winner "${str(cell).slice(0, 40)}" is not one of model_a, model_b, tie, tie (bothbad)`, { value: cell });
  return o;
}

function oneHotOutcome(file: string, row: number, cols: Record<string, string>, v: Record<string, unknown>): Outcome {
  const bit = (c: string) => {
    const x = str(v[c]).trim().toLowerCase();
    if (x === '1' || x === 'true' || x === '1.0') return 1;
    if (x === '0' || x === 'false' || x === '0.0') return 0;
    throw fileError(file, row, c, `"${x.slice(0, 40)}" is not 0 or 1`, { value: v[c] });
  };
  const [a, b, tie] = pairwiseColumns.oneHot.map(bit);
  if (a + b + tie !== 1) throw fileError(file, row, cols.winner_model_a, 'exactly one of winner_model_a, winner_model_b and winner_tie must be 1');
  return tie ? [0.5, 0.5] : a ? [1, 0] : [0, 1];
}
