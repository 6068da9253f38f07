// `npm run bench demand`: a 10,000,000-row trace in Azure's layout (a week at a diurnal rate,
// ~16.5 req/s mean, lognormal token counts) generated in a temp dir (deleted after) and imported
// into a file workspace: rows/s and peak RSS against a baseline of streaming-parsing the same file
// without storing it. Then the three shared traces: their summaries as `routeplan demand show`
// computes them, and the conversation trace streamed at x200 (the replay's input) in requests/s.
// BENCH_DEMAND_ROWS overrides the row count.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../src/main/engine/store/database';
import { importDemand } from '../src/main/engine/demand/import';
import { requestBatches, requestStream } from '../src/main/engine/demand/stream';
import { csvTable } from '../src/main/engine/data/csv-records';
import { readText } from '../src/main/engine/data/source';
import { quietContext } from '../src/main/engine/jobs/context';
import { createRng } from '../src/main/engine/predictor/rng';
import { repoRoot, scratchDir } from '../tests/helpers/engine';

const ROWS = Number(process.env.BENCH_DEMAND_ROWS ?? 10_000_000);
const mb = (b: number) => (b / 2 ** 20).toFixed(0);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Azure-layout rows: Poisson arrivals over 7 days at a rate following a daily cosine. */
function writeAzureTrace(file: string, rows: number): void {
  const rng = createRng(11);
  const fd = openSync(file, 'w');
  const t0 = Date.UTC(2024, 4, 6); // a Monday
  const mean = rows / (7 * 86400);
  // Token counts from tables of lognormal draws: one uniform a row instead of a normal.
  const table = (mu: number, sigma: number) => Int32Array.from({ length: 4096 }, () => Math.max(1, Math.round(Math.exp(mu + sigma * rng.normal()))));
  const inputs = table(6.7, 0.8);
  const outputs = table(4.9, 0.9);
  let minute = -1;
  let rate = mean;
  let t = 0;
  let second = -1;
  let prefix = '';
  let buf: string[] = ['TIMESTAMP,ContextTokens,GeneratedTokens'];
  for (let i = 0; i < rows; i++) {
    if (Math.floor(t / 60) !== minute) {
      minute = Math.floor(t / 60);
      rate = mean * (1 + 0.5 * Math.cos((2 * Math.PI * (minute / 60 - 14)) / 24));
    }
    t += -Math.log(1 - rng.next()) / rate;
    if (Math.floor(t) !== second) {
      second = Math.floor(t);
      const d = new Date(t0 + second * 1000);
      prefix = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    }
    const ts = `${prefix}.${String(Math.floor((t - second) * 1e7)).padStart(7, '0')}`;
    const k = (rng.next() * 4096 * 4096) | 0;
    buf.push(`${ts},${inputs[k >>> 12]},${outputs[k & 4095]}`);
    if (buf.length >= 100_000) {
      writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) writeSync(fd, buf.join('\n') + '\n');
  closeSync(fd);
}

async function measure(work: (sample: () => void) => Promise<number>) {
  let peak = process.memoryUsage().rss;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const base = process.memoryUsage().rss;
  const t0 = performance.now();
  const rows = await work(sample);
  const s = (performance.now() - t0) / 1000;
  sample();
  return { rows, s, rowsPerS: Math.round(rows / s), peakMb: mb(peak), growthMb: mb(peak - base) };
}

export async function run(): Promise<void> {
  const { dir, cleanup } = scratchDir('routeplan-bench-demand-');
  try {
    const file = join(dir, 'azure-week.csv');
    const g0 = performance.now();
    writeAzureTrace(file, ROWS);
    console.log(`generated ${ROWS.toLocaleString('en-US')} Azure-layout rows (${mb(statSync(file).size)} MB) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
    const parse = await measure(async (sample) => {
      const table = await csvTable(file, readText(file, sample, () => {}));
      let n = 0;
      for await (const _ of table.records) n++;
      return n;
    });
    const db = openDatabase(join(dir, 'w.sqlite'));
    const imp = await measure(async (sample) => (await importDemand(db, [file], {}, quietContext(sample))).rows);
    db.close();
    console.table([
      { step: 'parse only (baseline)', rows: parse.rows, s: parse.s.toFixed(1), 'rows/s': parse.rowsPerS, 'peak RSS MB': parse.peakMb, 'RSS growth MB': parse.growthMb },
      { step: 'demand import', rows: imp.rows, s: imp.s.toFixed(1), 'rows/s': imp.rowsPerS, 'peak RSS MB': imp.peakMb, 'RSS growth MB': imp.growthMb },
    ]);
    console.log(`import / parse time: ${(imp.s / parse.s).toFixed(2)}x; workspace file ${mb(statSync(join(dir, 'w.sqlite')).size)} MB (${(statSync(join(dir, 'w.sqlite')).size / imp.rows).toFixed(1)} bytes/request)`);

    const traces = resolve(repoRoot, '../shared/data/traces');
    const shared = ['azure2023_AzureLLMInferenceTrace_conv.csv', 'azure2023_AzureLLMInferenceTrace_code.csv', 'mooncake_conversation_trace.jsonl'];
    const ws = openDatabase(':memory:');
    const rows = [];
    for (const name of shared) {
      const r = await importDemand(ws, [join(traces, name)], {}, quietContext());
      const s = r.summary;
      rows.push({ trace: name, requests: s.requests, 'span min': s.spanS / 60, 'req/s': s.meanRate.toFixed(3), 'peak/mean 1m': s.peakToMean['60'].toFixed(2), 'peak/mean 15m': s.peakToMean['900'].toFixed(2), 'minute-rate CV': s.burstiness.minuteRateCv.toFixed(3), 'in mean': Math.round(s.inputTokens.mean), 'out mean': Math.round(s.outputTokens.mean) });
    }
    console.table(rows);
    // The replay's input: the conversation trace at x200 (about 1,076 req/s), batches vs objects.
    const stream = (objects: boolean) => {
      const t0 = performance.now();
      let n = 0;
      if (objects) for (const _ of requestStream(ws, 1, { scale: 200, seed: 1 })) n++;
      else for (const b of requestBatches(ws, 1, { scale: 200, seed: 1 })) n += b.t.length;
      const s = (performance.now() - t0) / 1000;
      return { requests: n, s: s.toFixed(2), 'requests/s': Math.round(n / s) };
    };
    console.table({ 'requestBatches x200': stream(false), 'requestStream x200': stream(true) });
    ws.close();
  } finally {
    cleanup();
  }
}
