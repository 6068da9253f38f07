// vLLM's serving benchmark result (`vllm bench serve --save-result`, formerly
// benchmarks/benchmark_serving.py): one JSON object per run, appended as JSON lines when runs share
// a file. Summary keys: request_throughput, output_throughput, {mean,median,std,pNN}_{ttft,tpot,itl}_ms,
// request_rate ("inf" = all at once), max_concurrency, completed, total_{input,output}_tokens; with
// --save-detailed also per-request input_lens, output_lens, ttfts (s) and itls (s, per token).
// The real file in ../shared/data/perf/ (llm-d) adds gpu ("4xNVIDIA_L40S") and decode_replicas.
import { fileError } from '../../../../shared/errors';
import { MAX_REQUESTS_PER_RECORD, positiveFigure, refuseLongRecord, summarise, type ParsedMeasurement, type StatedDeployment } from './records';
import type { Percentiles } from '../types';

type Obj = Record<string, unknown>;

export function looksLikeVllmBench(o: Obj): boolean {
  return 'output_throughput' in o && ('mean_ttft_ms' in o || 'request_throughput' in o) && ('completed' in o || 'backend' in o);
}

/** Summary percentiles present in the record (vLLM writes pNN only for --metric-percentiles). */
function statedPercentiles(file: string, record: number, o: Obj, metric: 'ttft' | 'tpot'): Partial<Percentiles> {
  const out: Partial<Percentiles> = {};
  const keys: [keyof Percentiles, string][] = [['mean', `mean_${metric}_ms`], ['p50', `median_${metric}_ms`], ['p90', `p90_${metric}_ms`], ['p99', `p99_${metric}_ms`]];
  for (const [stat, key] of keys) {
    const v = positiveFigure(file, record, key, o[key], false);
    if (v !== undefined) out[stat] = v;
  }
  return out;
}

function numberArray(file: string, record: number, key: string, raw: unknown): Float64Array | null {
  if (raw == null) return null;
  if (!Array.isArray(raw)) throw fileError(file, record, key, 'expected an array of per-request figures');
  if (raw.length > MAX_REQUESTS_PER_RECORD) throw fileError(file, record, key, `more than ${MAX_REQUESTS_PER_RECORD} requests in one record`);
  return Float64Array.from(raw, (v) => (typeof v === 'number' ? v : NaN));
}

/**
 * Per-request TTFT and TPOT (ms) from the detailed arrays: TPOT of a request = mean of its
 * inter-token latencies, as vLLM defines it ((latency - ttft) / (output_len - 1)).
 */
function perRequest(file: string, record: number, o: Obj): { ttft: Float64Array; tpot: Float64Array } | null {
  const ttfts = numberArray(file, record, 'ttfts', o.ttfts);
  if (!ttfts || ttfts.length === 0) return null;
  const ttft = new Float64Array(ttfts.length);
  for (let i = 0; i < ttfts.length; i++) {
    if (!(ttfts[i] > 0)) throw fileError(file, record, `ttfts[${i}]`, `must be a positive number of seconds, got ${JSON.stringify((o.ttfts as unknown[])[i])}`);
    ttft[i] = ttfts[i] * 1000;
  }
  const tpots: number[] = [];
  if (Array.isArray(o.itls)) {
    if (o.itls.length > MAX_REQUESTS_PER_RECORD) throw fileError(file, record, 'itls', `more than ${MAX_REQUESTS_PER_RECORD} requests in one record`);
    o.itls.forEach((list, i) => {
      if (!Array.isArray(list) || list.length === 0) return; // one-token answers have no TPOT
      let s = 0;
      for (const v of list) {
        if (typeof v !== 'number' || !(v >= 0)) throw fileError(file, record, `itls[${i}]`, `not a non-negative number of seconds: ${JSON.stringify(v)}`);
        s += v;
      }
      tpots.push((s / list.length) * 1000);
    });
  }
  return { ttft, tpot: Float64Array.from(tpots) };
}

/** "4xNVIDIA_L40S" -> 4 GPUs of "L40S"; "NVIDIA H100 80GB HBM3" -> 1 of "H100 80GB HBM3". */
export function parseGpuLabel(label: string): { gpu: string; count: number } {
  const m = /^\s*(\d+)\s*[x×*]\s*(.+)$/i.exec(label);
  const name = (m ? m[2] : label).replace(/^nvidia[\s_-]*/i, '').replace(/_/g, ' ').trim();
  return { gpu: name, count: m ? Number(m[1]) : 1 };
}

export function parseVllmRecord(file: string, record: number, o: Obj): ParsedMeasurement {
  const notes: string[] = [];
  const completed = positiveFigure(file, record, 'completed', o.completed, true)!;
  const totalIn = positiveFigure(file, record, 'total_input_tokens', o.total_input_tokens, false);
  const totalOut = positiveFigure(file, record, 'total_output_tokens', o.total_output_tokens, true)!;
  const inputLens = numberArray(file, record, 'input_lens', o.input_lens);
  // Mean lengths of the completed requests (output lengths often fall short of output_len).
  let inputTokens = totalIn !== undefined ? totalIn / completed : undefined;
  if (inputTokens === undefined && inputLens && inputLens.length) inputTokens = inputLens.reduce((a, b) => a + b, 0) / inputLens.length;
  if (inputTokens === undefined) inputTokens = positiveFigure(file, record, 'input_len', o.input_len, true)!;
  const outputTokens = totalOut / completed;

  // Several replicas behind one gateway (llm-d's decode_replicas): figures per instance.
  const replicas = o.decode_replicas == null ? 1 : positiveFigure(file, record, 'decode_replicas', o.decode_replicas, true)!;
  if (!Number.isInteger(replicas)) throw fileError(file, record, 'decode_replicas', `must be a whole number, got ${replicas}`);

  const stated: StatedDeployment = {};
  const model = o.model_id ?? o.model;
  if (typeof model === 'string' && model.trim()) stated.model = model.trim();
  // backend names the client API; only a server's own API says which engine served ("openai-chat"
  // could be any), so those leave the engine to --engine.
  if (typeof o.backend === 'string' && !/^openai/i.test(o.backend)) stated.engine = o.backend;
  if (typeof o.gpu === 'string' && o.gpu.trim()) {
    const g = parseGpuLabel(o.gpu);
    stated.gpu = g.gpu;
    if (g.count % replicas !== 0) throw fileError(file, record, 'gpu', `${g.count} GPUs cannot be split over ${replicas} decode replicas`);
    stated.gpus = g.count / replicas;
  }
  if (replicas > 1) notes.push(`throughput and rate divided by ${replicas} decode replicas`);

  const rateRaw = o.request_rate;
  const unbounded = rateRaw === 'inf' || rateRaw === 'Infinity' || rateRaw === Infinity || rateRaw == null;
  const rate = unbounded ? undefined : positiveFigure(file, record, 'request_rate', rateRaw, true);
  const maxConcurrency = positiveFigure(file, record, 'max_concurrency', o.max_concurrency, false);

  const ttftMs = statedPercentiles(file, record, o, 'ttft');
  const tpotMs = statedPercentiles(file, record, o, 'tpot');
  const detail = perRequest(file, record, o);
  if (detail) {
    const t = summarise(detail.ttft);
    for (const k of ['mean', 'p50', 'p90', 'p99'] as const) if (ttftMs[k] === undefined) ttftMs[k] = t[k];
    if (detail.tpot.length) {
      const p = summarise(detail.tpot);
      for (const k of ['mean', 'p50', 'p90', 'p99'] as const) if (tpotMs[k] === undefined) tpotMs[k] = p[k];
    }
    notes.push('percentiles missing from the summary computed from the per-request ttfts/itls');
  }

  const out: ParsedMeasurement = {
    record,
    stated,
    inputTokens,
    outputTokens,
    outputTokensPerS: positiveFigure(file, record, 'output_throughput', o.output_throughput, true)! / replicas,
    requestsPerS: (positiveFigure(file, record, 'request_throughput', o.request_throughput, false) ?? NaN) / replicas,
    ttftMs,
    tpotMs,
    notes,
  };
  if (!Number.isFinite(out.requestsPerS!)) delete out.requestsPerS;
  // Load: a finite rate is open-loop Poisson arrivals (max_concurrency then only caps it);
  // an unbounded rate with a concurrency cap is a closed loop; with neither, everything at once.
  if (rate !== undefined) out.rate = rate / replicas;
  else if (maxConcurrency !== undefined) out.concurrency = maxConcurrency / replicas;
  else out.maxThroughput = true;
  return out;
}

/** The records of a vLLM result file: one JSON value (object or array) or JSON lines. */
export function vllmObjects(file: string, text: string): Obj[] | null {
  const trimmed = text.trim();
  let whole: unknown;
  let parsed = true;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    parsed = false; // appended runs: one object per line
  }
  if (parsed) {
    const list = Array.isArray(whole) ? whole : [whole];
    if (Array.isArray(whole)) whole.forEach((o, i) => refuseLongRecord(file, i + 1, JSON.stringify(o)?.length ?? 0));
    else refuseLongRecord(file, 1, trimmed.length);
    return list.every((o) => o && typeof o === 'object' && looksLikeVllmBench(o as Obj)) ? (list as Obj[]) : null;
  }
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim());
  const objects: Obj[] = [];
  for (let i = 0; i < lines.length; i++) {
    refuseLongRecord(file, i + 1, lines[i].length);
    let o: unknown;
    try {
      o = JSON.parse(lines[i]);
    } catch (err) {
      if (i === 0) return null;
      throw fileError(file, i + 1, null, `not a JSON object: ${(err as Error).message}`);
    }
    if (!o || typeof o !== 'object' || !looksLikeVllmBench(o as Obj)) {
      if (i === 0) return null;
      throw fileError(file, i + 1, null, 'not a vLLM benchmark record like the lines before it (no output_throughput / mean_ttft_ms)');
    }
    objects.push(o as Obj);
  }
  return objects.length ? objects : null;
}
