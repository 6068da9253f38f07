import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes a synthetic long CSV (one row per query x model) of `rows` rows without holding it in
 * memory: `models` models per query, ~1% missing labels, a quoted question with a comma.
 */
export function writeLongCsv(path: string, rows: number, models = 10): { queries: number; missing: number } {
  const fd = openSync(path, 'w');
  let buf = 'id,question,model,score,input_tokens,output_tokens,cost,task\n';
  let missing = 0;
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let r = 0; r < rows; r++) {
    const q = Math.floor(r / models);
    const m = r % models;
    const gap = rand() < 0.01;
    if (gap) missing++;
    const inTok = 20 + (q % 200);
    const outTok = 5 + ((q * 7 + m) % 90);
    buf += `q${q},"Question ${q} about topic ${q % 37}, part ${q % 11}: what follows?",model-${m},${gap ? '' : rand() < 0.6 ? 1 : 0},${inTok},${outTok},${((inTok + outTok) * (m + 1) * 1e-7).toFixed(9)},task-${q % 5}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  return { queries: Math.ceil(rows / models), missing };
}
