// A small reader for Azure's LLM inference trace CSV (TIMESTAMP,ContextTokens,GeneratedTokens),
// for the planning bench only: the workspace's trace importer lives in engine/demand/.
import { readFileSync } from 'node:fs';
import { createRng } from '../src/main/engine/predictor/rng';

export interface Trace {
  t: Float64Array; // seconds from the first request, ascending
  input: Int32Array;
  output: Int32Array;
}

export function readAzureTrace(file: string): Trace {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[0].trim() !== 'TIMESTAMP,ContextTokens,GeneratedTokens') throw new Error(`${file}: not an Azure LLM inference trace (header ${lines[0]})`);
  const t: number[] = [];
  const input: number[] = [];
  const output: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const [ts, ctx, gen] = line.split(',');
    // "2023-11-16 18:15:46.6805900": seconds past midnight carry all the resolution needed.
    const [hh, mm, ss] = ts.split(' ')[1].split(':');
    t.push(Number(hh) * 3600 + Number(mm) * 60 + Number(ss) + Date.parse(ts.split(' ')[0] + 'T00:00:00Z') / 1000);
    input.push(Number(ctx));
    output.push(Math.max(1, Number(gen)));
  }
  const order = t.map((_, i) => i).sort((a, b) => t[a] - t[b]);
  const t0 = t[order[0]];
  return { t: Float64Array.from(order, (i) => t[i] - t0), input: Int32Array.from(order, (i) => input[i]), output: Int32Array.from(order, (i) => output[i]) };
}

/**
 * The trace at `copies` times its rate: each copy shifted by its own uniform offset in [0, jitterS)
 * (wrapping within the span), so the shape above the jitter scale is kept without stacking
 * identical arrivals on one instant.
 */
export function scaleTrace(tr: Trace, copies: number, jitterS: number, seed: number): Trace {
  const rng = createRng(seed);
  const span = tr.t[tr.t.length - 1] + 1e-6;
  const n = tr.t.length * copies;
  const t = new Float64Array(n);
  const src = new Int32Array(n);
  for (let c = 0; c < copies; c++) {
    for (let i = 0; i < tr.t.length; i++) {
      const k = c * tr.t.length + i;
      t[k] = (tr.t[i] + rng.next() * jitterS) % span;
      src[k] = i;
    }
  }
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a] - t[b]);
  return { t: Float64Array.from(order, (i) => t[i]), input: Int32Array.from(order, (i) => tr.input[src[i]]), output: Int32Array.from(order, (i) => tr.output[src[i]]) };
}
