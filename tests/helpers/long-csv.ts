import { closeSync, openSync, writeSync } from 'node:fs';

export const longColumns = ['id', 'question', 'model', 'score', 'input_tokens', 'output_tokens', 'cost', 'task'] as const;
export type LongRow = [id: string, question: string, model: string, score: number | null, inputTokens: number, outputTokens: number, cost: number, task: string];

/**
 * The rows of a synthetic long dataset (one row per query x model): `models` models per query,
 * ~1% missing labels, a question with a comma. Deterministic; the same for every writer.
 */
export function* longRows(rows: number, models = 10): Generator<LongRow> {
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let r = 0; r < rows; r++) {
    const q = Math.floor(r / models);
    const m = r % models;
    const gap = rand() < 0.01;
    const inTok = 20 + (q % 200);
    const outTok = 5 + ((q * 7 + m) % 90);
    yield [`q${q}`, `Question ${q} about topic ${q % 37}, part ${q % 11}: what follows?`, `model-${m}`, gap ? null : rand() < 0.6 ? 1 : 0, inTok, outTok, Number(((inTok + outTok) * (m + 1) * 1e-7).toFixed(9)), `task-${q % 5}`];
  }
}

/** Writes longRows as a CSV without holding it in memory. */
export function writeLongCsv(path: string, rows: number, models = 10): { queries: number; missing: number } {
  const fd = openSync(path, 'w');
  let buf = longColumns.join(',') + '\n';
  let missing = 0;
  for (const [id, question, model, score, inTok, outTok, cost, task] of longRows(rows, models)) {
    if (score === null) missing++;
    buf += `${id},"${question}",${model},${score ?? ''},${inTok},${outTok},${cost.toFixed(9)},${task}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  return { queries: Math.ceil(rows / models), missing };
}
