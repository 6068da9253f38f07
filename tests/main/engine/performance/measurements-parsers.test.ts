import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { parseMeasurementText, readMeasurementFile } from '../../../../src/main/engine/performance/measurements/read-file';
import { MAX_RECORD_CHARS } from '../../../../src/main/engine/data/csv-tokenizer';
import { scratchDir } from '../../../helpers/engine';
import { parseGpuLabel } from '../../../../src/main/engine/performance/measurements/vllm-bench';
import { deploymentKey, nameKey, normaliseEngine } from '../../../../src/main/engine/performance/measurements/names';
import { contradictionFlags } from '../../../../src/main/engine/performance/measurements/contradictions';
import type { MeasuredPoint, PerfEstimate } from '../../../../src/main/engine/performance/types';
import { goodputFromMeasurements } from '../../../../src/main/engine/performance/measurements/goodput';

const vllmRecord = { backend: 'vllm', model_id: 'org/M-7B', completed: 100, total_input_tokens: 51200, total_output_tokens: 12800, request_rate: 4, max_concurrency: null, request_throughput: 3.9, output_throughput: 499, mean_ttft_ms: 40, median_ttft_ms: 38, p90_ttft_ms: 55, p99_ttft_ms: 70, mean_tpot_ms: 12, median_tpot_ms: 11.8, p99_tpot_ms: 15 };

describe('layout detection and parsing', () => {
  it('reads a vLLM result as one pretty-printed object, a JSON array or JSON lines alike', () => {
    for (const text of [JSON.stringify(vllmRecord, null, 2), JSON.stringify([vllmRecord, { ...vllmRecord, request_rate: 8 }]), `${JSON.stringify(vllmRecord)}\n${JSON.stringify({ ...vllmRecord, request_rate: 8 })}\n`]) {
      const f = parseMeasurementText('r.json', text);
      expect(f.layout).toBe('vllm-bench-json');
      expect(f.records[0]).toMatchObject({ inputTokens: 512, outputTokens: 128, rate: 4, outputTokensPerS: 499, ttftMs: { mean: 40, p50: 38, p90: 55, p99: 70 } });
    }
  });

  it("takes the engine from vLLM's backend only where it names a server (openai-chat could be any)", () => {
    const engineOf = (backend: string) => parseMeasurementText('r.json', JSON.stringify({ ...vllmRecord, backend })).records[0].stated.engine;
    expect(engineOf('vllm')).toBe('vllm');
    expect(engineOf('tensorrt-llm')).toBe('tensorrt-llm');
    expect(engineOf('openai-chat')).toBeUndefined();
  });

  it('a JSON line that breaks the series names its line', () => {
    expect(() => parseMeasurementText('r.json', `${JSON.stringify(vllmRecord)}\n{"other": 1}\n`)).toThrow(/r\.json, row 2: not a vLLM benchmark record/);
    expect(() => parseMeasurementText('r.json', `${JSON.stringify(vllmRecord)}\n{broken\n`)).toThrow(/r\.json, row 2: not a JSON object/);
  });

  it('vLLM loads: a finite rate is open loop, inf with a cap is a closed loop, inf alone is max throughput', () => {
    const load = (o: object) => parseMeasurementText('r.json', JSON.stringify({ ...vllmRecord, ...o })).records[0];
    expect(load({ request_rate: 'inf', max_concurrency: 16 })).toMatchObject({ concurrency: 16 });
    expect(load({ request_rate: 'inf' }).maxThroughput).toBe(true);
    expect(load({ request_rate: 2, max_concurrency: 16 })).toMatchObject({ rate: 2 });
  });

  it('GenAI-Perf at a request rate, and a CSV without its sequence lengths refused by name', () => {
    const gp = { output_token_throughput: { unit: 'tokens/sec', avg: 100 }, request_throughput: { avg: 1 }, input_sequence_length: { avg: 200 }, output_sequence_length: { avg: 100 }, time_to_first_token: { avg: 30, p90: 40 }, input_config: { model: ['x'], concurrency: 1, request_rate: 2.5 } };
    expect(parseMeasurementText('g.json', JSON.stringify(gp)).records[0]).toMatchObject({ rate: 2.5, ttftMs: { mean: 30, p90: 40 } });
    expect(() => parseMeasurementText('g.csv', 'Metric,avg,min,max,p99,p95,p90,p75,p50,p25\nTime To First Token (ms),1,1,1,1,1,1,1,1,1\n\nMetric,Value\nOutput Token Throughput (tokens/sec),5\n')).toThrow(/no "input sequence length" row/);
  });

  it('plain CSV: "inf" rate is max throughput; a load is required', () => {
    const head = 'input_tokens,output_tokens,rate,concurrency,output_tok_s\n';
    expect(parseMeasurementText('p.csv', `${head}100,100,inf,,900\n`).records[0].maxThroughput).toBe(true);
    expect(() => parseMeasurementText('p.csv', `${head}100,100,,,900\n`)).toThrow(/p\.csv, row 2, column "concurrency": give the load/);
  });
});

describe('record and name limits (the importers\' per-record limit, bounded names)', () => {
  const scratch = scratchDir('routeplan-perf-limits-');
  afterAll(() => scratch.cleanup());
  const flags = { gpu: 'H100', gpus: 1, precision: 'bf16', engine: 'vllm' };
  const long = 'M'.repeat(MAX_RECORD_CHARS + 1);

  it('a record over 16 Mi characters is refused naming its row, in JSON lines, one JSON object and CSV alike', () => {
    expect(() => parseMeasurementText('r.json', `${JSON.stringify(vllmRecord)}\n${JSON.stringify({ ...vllmRecord, model_id: long })}\n`)).toThrow(/r\.json, row 2: .*per-record limit/);
    expect(() => parseMeasurementText('r.json', JSON.stringify({ ...vllmRecord, model_id: long }))).toThrow(/r\.json, row 1: .*per-record limit/);
    expect(() => parseMeasurementText('r.json', JSON.stringify([vllmRecord, { ...vllmRecord, model_id: long }]))).toThrow(/r\.json, row 2: .*per-record limit/);
    const head = 'model,input_tokens,output_tokens,rate,output_tok_s\n';
    expect(() => parseMeasurementText('p.csv', `${head}a,100,100,1,900\n${long},100,100,1,900\n`)).toThrow(/p\.csv, row 3.*per-record limit/);
  });

  it('a model, GPU, precision or engine name longer than 200 characters is refused naming the record and field, from the file or a flag', () => {
    const file = join(scratch.dir, 'long-name.json');
    writeFileSync(file, `${JSON.stringify(vllmRecord)}\n${JSON.stringify({ ...vllmRecord, model_id: 'm'.repeat(201) })}\n`);
    expect(() => readMeasurementFile(file, flags)).toThrow(expect.objectContaining({ code: 'FILE_FORMAT', details: expect.objectContaining({ row: 2, column: 'model' }) }));
    writeFileSync(file, JSON.stringify(vllmRecord));
    expect(() => readMeasurementFile(file, { ...flags, gpu: 'G'.repeat(201) })).toThrow(expect.objectContaining({ details: expect.objectContaining({ row: 1, column: 'gpu' }) }));
    expect(readMeasurementFile(file, { ...flags, gpu: 'G'.repeat(200) }).points[0].gpu).toHaveLength(200);
  });
});

describe('names', () => {
  it('GPU labels, engines and deployment keys', () => {
    expect(parseGpuLabel('4xNVIDIA_L40S')).toEqual({ gpu: 'L40S', count: 4 });
    expect(parseGpuLabel('NVIDIA H100 80GB HBM3')).toEqual({ gpu: 'H100 80GB HBM3', count: 1 });
    expect(normaliseEngine('TensorRT-LLM', 'f')).toBe('trtllm');
    expect(() => normaliseEngine('sglang', 'f')).toThrow(/accepted: vllm, trtllm/);
    expect(nameKey('meta-llama/Llama-3.2-3B-Instruct')).toBe(nameKey('Llama-3.2-3B'));
    // Catalog aliases make one deployment of two spellings of the same GPU.
    const d = { model: 'Llama-3.1-8B', gpus: 1, tp: 1, precision: 'bf16', engine: 'vllm' };
    expect(deploymentKey({ ...d, gpu: 'H100-80GB' })).toBe(deploymentKey({ ...d, gpu: 'H100-SXM' }));
    expect(deploymentKey({ ...d, gpu: 'H100-80GB' })).not.toBe(deploymentKey({ ...d, gpu: 'A100-80GB' }));
  });
});

describe('contradictions', () => {
  const p = (id: number, thr: number, ttft: number, out = 200): MeasuredPoint & { id: number } => ({ id, model: 'm', gpu: 'L4', gpus: 1, tp: 1, precision: 'bf16', engine: 'vllm', inputTokens: 1000, outputTokens: out, concurrency: 8, outputTokensPerS: thr, ttftMs: { mean: ttft }, source: `f#${id}` });
  it('flags both sides of a >25% disagreement at one operating point, not a 20% one, nor different shapes', () => {
    const flags = contradictionFlags([p(1, 100, 50), p(2, 120, 52), p(3, 130, 51), p(4, 300, 50, 800)], () => true);
    expect([...flags.keys()].sort()).toEqual([1, 3]);
    expect(flags.get(1)![0]).toMatch(/contradicts #3 f#3: output tok\/s 100\.0 vs 130\.0/);
    expect(flags.get(3)![0]).toMatch(/contradicts #1 f#1: output tok\/s 130\.0 vs 100\.0/);
  });
});

describe('goodput from measured rates', () => {
  const pt = (rate: number): MeasuredPoint => ({ model: 'm', gpu: 'L4', gpus: 1, tp: 1, precision: 'bf16', engine: 'vllm', inputTokens: 500, outputTokens: 100, rate, outputTokensPerS: rate * 100, source: 't' });
  const points = [pt(1), pt(4)];
  const w = { inputTokens: 500, outputTokens: 100 };
  const slo = { ttftP90Ms: 100, tpotP90Ms: 20 };
  // TPOT p90 grows linearly with the rate: 10 ms at 1 req/s, 25 ms at 4 req/s.
  const at = (tpotAt: (r: number) => number) => (rate: number) => ({ ttftMs: { mean: 50, p50: 50, p90: 50, p99: 50 }, tpotMs: { mean: 0, p50: 0, p90: tpotAt(rate), p99: 0 } }) as unknown as PerfEstimate;
  it('bisects between a rate that meets the SLO and one that misses it', () => {
    const g = goodputFromMeasurements(points, w, slo, at((r) => 5 + 5 * r), () => 99);
    expect(g.source).toBe('measured');
    expect(g.requestsPerS).toBeCloseTo(3, 2);
  });
  it('defers to the model outside the measured rates, within what they prove', () => {
    expect(goodputFromMeasurements(points, w, slo, at(() => 10), () => 99)).toEqual({ requestsPerS: 99, source: 'fitted' });
    expect(goodputFromMeasurements(points, w, slo, at(() => 10), () => 2)).toEqual({ requestsPerS: 4, source: 'measured' });
    expect(goodputFromMeasurements(points, w, slo, at(() => 30), () => 3)).toEqual({ requestsPerS: 1, source: 'fitted' });
    expect(goodputFromMeasurements([], w, slo, at(() => 30), () => 3)).toEqual({ requestsPerS: 3, source: 'fitted' });
  });
});
