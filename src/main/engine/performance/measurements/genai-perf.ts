// GenAI-Perf and AIPerf summary exports, one file per load level (concurrency or request rate).
// Layouts, as their exporters write them:
// - GenAI-Perf JSON: one object of {metric: {unit, avg, p25…p99, min, max, std}} plus input_config
//   (the CLI arguments: model [names], backend, concurrency, request_rate, …):
//   triton-inference-server/perf_analyzer@00afbedf genai-perf/tests/test_json_exporter.py and
//   @09628cd6 genai-perf/genai_perf/export_data/json_exporter.py.
// - GenAI-Perf CSV: "Metric,avg,min,max,p99,p95,p90,p75,p50,p25" rows (metric names title-cased,
//   "(ms)" units, values formatted "1,234.56"), a blank line, then "Metric,Value" rows
//   (Output Token Throughput (tokens/sec), Request Throughput (per sec)):
//   triton-inference-server/perf_analyzer@09628cd6 genai-perf/genai_perf/export_data/csv_exporter.py.
// - AIPerf JSON/CSV: the same metric keys and sections (CSV header "Metric,avg,min,max,p1,p5,…,std");
//   input_config nests endpoint.model_names and loadgen.{concurrency,request_rate}:
//   nvda-ci/aiperf@8e6a033d (a mirror of ai-dynamo/aiperf) docs/tutorials/working-with-profile-exports.md.
// TTFT is time_to_first_token; TPOT is inter_token_latency ((latency - ttft) / (osl - 1)).
import { parse as parseCsv } from 'csv-parse/sync';
import { fileError } from '../../../../shared/errors';
import { positiveFigure, type MeasurementLayout, type ParsedMeasurement, type StatedDeployment } from './records';
import type { Percentiles } from '../types';

type Obj = Record<string, unknown>;
type Stats = Record<string, number | string | undefined>;

const stats: (keyof Percentiles)[] = ['mean', 'p50', 'p90', 'p99'];
const statKey: Record<keyof Percentiles, string> = { mean: 'avg', p50: 'p50', p90: 'p90', p99: 'p99' };

export function looksLikeGenaiPerfJson(o: Obj): 'genai-perf-json' | 'aiperf-json' | null {
  const t = o.output_token_throughput ?? o.request_throughput;
  if (!t || typeof t !== 'object' || !('avg' in (t as Obj))) return null;
  const cfg = o.input_config as Obj | undefined;
  return cfg && typeof cfg === 'object' && ('loadgen' in cfg || 'endpoint' in cfg && typeof cfg.endpoint === 'object') ? 'aiperf-json' : 'genai-perf-json';
}

function percentilesOf(file: string, record: number, name: string, s: Stats | undefined): Partial<Percentiles> {
  const out: Partial<Percentiles> = {};
  if (!s) return out;
  for (const k of stats) {
    const v = positiveFigure(file, record, `${name}.${statKey[k]}`, s[statKey[k]], false);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Load and deployment from the run's configuration; absent fields come from flags later. */
function fromConfig(cfg: Obj | undefined): { stated: StatedDeployment; concurrency?: unknown; rate?: unknown } {
  const stated: StatedDeployment = {};
  if (!cfg || typeof cfg !== 'object') return { stated };
  const endpoint = (cfg.endpoint && typeof cfg.endpoint === 'object' ? cfg.endpoint : {}) as Obj;
  const loadgen = (cfg.loadgen && typeof cfg.loadgen === 'object' ? cfg.loadgen : {}) as Obj;
  const names = cfg.model ?? endpoint.model_names ?? cfg.model_names;
  const model = Array.isArray(names) ? names[0] : names;
  if (typeof model === 'string' && model.trim()) stated.model = model.trim();
  if (typeof cfg.backend === 'string' && cfg.service_kind !== 'openai') stated.engine = cfg.backend;
  return { stated, concurrency: loadgen.concurrency ?? cfg.concurrency, rate: loadgen.request_rate ?? cfg.request_rate };
}

/** rowOf: where a metric sits in the file (the CSV row; 1 for a JSON object), for error messages. */
function build(file: string, metrics: Record<string, Stats>, cfg: ReturnType<typeof fromConfig>, rowOf: (metric: string) => number): ParsedMeasurement {
  const rec = 1;
  const avg = (metric: string, required: boolean) => positiveFigure(file, rowOf(metric), `${metric}.avg`, metrics[metric]?.avg, required);
  const out: ParsedMeasurement = {
    record: rec,
    stated: cfg.stated,
    inputTokens: avg('input_sequence_length', true)!,
    outputTokens: avg('output_sequence_length', true)!,
    outputTokensPerS: avg('output_token_throughput', true)!,
    requestsPerS: avg('request_throughput', false),
    ttftMs: percentilesOf(file, rowOf('time_to_first_token'), 'time_to_first_token', metrics.time_to_first_token),
    tpotMs: percentilesOf(file, rowOf('inter_token_latency'), 'inter_token_latency', metrics.inter_token_latency),
    notes: [],
  };
  if (out.requestsPerS === undefined) delete out.requestsPerS;
  const c = positiveFigure(file, rec, 'input_config.concurrency', cfg.concurrency, false);
  const r = positiveFigure(file, rec, 'input_config.request_rate', cfg.rate, false);
  if (r !== undefined) out.rate = r;
  else if (c !== undefined) out.concurrency = c;
  return out;
}

export function parseGenaiPerfJson(file: string, o: Obj): ParsedMeasurement {
  const metrics: Record<string, Stats> = {};
  for (const [k, v] of Object.entries(o)) if (v && typeof v === 'object' && 'avg' in (v as Obj)) metrics[k] = v as Stats;
  return build(file, metrics, fromConfig(o.input_config as Obj | undefined), () => 1);
}

/** "Time To First Token (ms)" / "Time to First Token (ms)" -> time_to_first_token. */
function metricKey(label: string): string {
  return label.replace(/\(.*\)/, '').trim().toLowerCase().replace(/\s+/g, '_');
}

export function csvHeaderLayout(header: string[]): MeasurementLayout | null {
  const h = header.map((c) => c.trim().toLowerCase());
  if (h[0] !== 'metric' || !h.includes('avg')) return null;
  return h.includes('p1') || h.includes('std') ? 'aiperf-csv' : 'genai-perf-csv';
}

/** The CSV's sections: statistics rows (Metric,avg,…) and single values (Metric,Value). */
export function parseGenaiPerfCsv(file: string, text: string): ParsedMeasurement {
  const rows = parseCsv(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
  const metrics: Record<string, Stats> = {};
  const rowOf: Record<string, number> = {};
  let header: string[] | null = null;
  rows.forEach((row, i) => {
    if (row.length === 0 || row.every((c) => c.trim() === '')) {
      header = null; // a blank line ends a section
      return;
    }
    if (row[0].trim().toLowerCase() === 'metric') {
      header = row.map((c) => c.trim().toLowerCase());
      return;
    }
    if (!header) return; // telemetry sections start with other headers (Endpoint, GPU_Index, …)
    const key = metricKey(row[0]);
    const s: Stats = {};
    if (header[1] === 'value') s.avg = row[1];
    else header.forEach((h, j) => j > 0 && (s[h] = row[j]));
    metrics[key] = s;
    rowOf[key] = i + 1;
  });
  for (const need of ['output_token_throughput', 'input_sequence_length', 'output_sequence_length']) {
    if (!metrics[need]) throw fileError(file, null, 'Metric', `no "${need.replace(/_/g, ' ')}" row: not a complete GenAI-Perf / AIPerf export`);
  }
  // Errors name the CSV row of the metric and its statistic (metric.avg, metric.p90, …).
  return build(file, metrics, { stated: {} }, (m) => rowOf[m] ?? 1);
}
