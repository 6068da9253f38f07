import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryEngine, repoRoot, scratchDir } from '../../../helpers/engine';
import { measurementLayouts } from '../../../../src/main/engine/performance/measurements/records';

const vllmSample = resolve(repoRoot, '../shared/data/perf/sample-vllm-nerdalert-llmd-L40S-Llama-3.2-3B.json');
const fixture = (f: string) => join(repoRoot, 'tests/fixtures/perf-measurements', f);
const scratch = scratchDir('routeplan-perf-measure-');
afterAll(() => scratch.cleanup());

function write(name: string, text: string): string {
  const p = join(scratch.dir, name);
  writeFileSync(p, text);
  return p;
}

async function refusal(p: Promise<unknown>) {
  const err = (await p.then(
    () => null,
    (e) => e,
  )) as { code: string; message: string; details?: Record<string, unknown> } | null;
  expect(err, 'expected a refusal').not.toBeNull();
  return err!;
}

describe('perf import: the real vLLM bench file', () => {
  it('imports its 9 appended records per instance, with the figures of each record', async () => {
    const engine = memoryEngine();
    const [r] = await engine.call('performance.importMeasurements', { files: [vllmSample], precision: 'bf16' });
    expect(r.layout).toBe('vllm-bench-json');
    expect(r.records).toBe(9);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [d] = await engine.call('performance.listMeasurements', {});
    // "4xNVIDIA_L40S" behind 4 decode replicas: one L40S per instance; model and engine from the file.
    expect(d).toMatchObject({ model: 'meta-llama/Llama-3.2-3B-Instruct', gpu: 'L40S', gpus: 1, tp: 1, precision: 'bf16', engine: 'vllm', points: 9, maxThroughputPoints: 3 });
    expect(d.rate).toEqual({ min: 2.5, max: 7.5 });
    const first = d.measurements.find((m) => m.record === 1)!;
    // Record 1: output_throughput 2258.21 over 4 replicas; 80945 output tokens over 300 requests.
    expect(first.outputTokensPerS).toBeCloseTo(2258.212337970085 / 4, 9);
    expect(first.requestsPerS).toBeCloseTo(8.369432347779671 / 4, 9);
    expect(first.inputTokens).toBeCloseTo(999, 9);
    expect(first.outputTokens).toBeCloseTo(80945 / 300, 9);
    expect(first.rate).toBe(2.5);
    expect(first.ttftMs).toEqual({ mean: 54.59561144333596, p50: 52.868896000063614, p99: 98.69780922984769 });
    expect(first.tpotMs.p99).toBe(15.793261194984588);
    // The summary has no p90 and the file no per-request arrays: p90 stays unknown, not invented.
    expect(first.ttftMs.p90).toBeUndefined();
    expect(first.provenance).toMatchObject({ fileName: 'sample-vllm-nerdalert-llmd-L40S-Llama-3.2-3B.json', sha256: r.sha256, layout: 'vllm-bench-json' });
    engine.close();
  });

  it('flags the contradicting request_rate=inf runs (three gateway setups, 8321 vs 11011 tok/s) and keeps them all', async () => {
    const engine = memoryEngine();
    const [r] = await engine.call('performance.importMeasurements', { files: [vllmSample], precision: 'bf16' });
    const [d] = await engine.call('performance.listMeasurements', {});
    const flaggedRecords = d.measurements.filter((m) => m.flags.length).map((m) => m.record).sort();
    expect(flaggedRecords).toEqual([3, 6, 9]);
    expect(r.flagged).toHaveLength(3);
    expect(d.points).toBe(9);
    const rec3 = d.measurements.find((m) => m.record === 3)!;
    expect(rec3.flags.join(' ')).toMatch(/ttft mean 4387 vs 885/);
    engine.close();
  });

  it('computes p90 from per-request ttfts and itls when the summary lacks it', async () => {
    const ttfts = Array.from({ length: 11 }, (_, i) => 0.1 + i * 0.01); // 100..200 ms
    const itls = ttfts.map((_, i) => [0.01 + i * 0.001, 0.01 + i * 0.001]);
    const rec = { backend: 'vllm', model_id: 'org/Test-7B', completed: 11, total_input_tokens: 1100, total_output_tokens: 33, request_rate: 'inf', max_concurrency: 4, request_throughput: 2, output_throughput: 66, mean_ttft_ms: 150, median_ttft_ms: 150, p99_ttft_ms: 199, ttfts, itls, input_lens: ttfts.map(() => 100), output_lens: ttfts.map(() => 3) };
    const f = write('detailed.json', JSON.stringify(rec, null, 2));
    const engine = memoryEngine();
    await engine.call('performance.importMeasurements', { files: [f], gpu: 'A100-80GB', gpus: 1, precision: 'fp16' });
    const [m] = (await engine.call('performance.listMeasurements', {}))[0].measurements;
    expect(m.concurrency).toBe(4);
    expect(m.ttftMs.p90).toBeCloseTo(190, 9); // numpy's linear percentile of 100..200 ms
    expect(m.ttftMs.mean).toBe(150); // the summary's own figure wins
    expect(m.tpotMs.p90).toBeCloseTo(19, 9);
    engine.close();
  });
});

describe('perf import: every layout', () => {
  it('reads GenAI-Perf and AIPerf JSON and CSV exports and the plain CSV', async () => {
    const engine = memoryEngine();
    const rs = await engine.call('performance.importMeasurements', {
      files: [fixture('profile_export_genai_perf.json'), fixture('profile_export_aiperf.json'), fixture('plain.csv')],
      gpu: 'H100-80GB',
      gpus: 1,
      precision: 'bf16',
      engine: 'vllm',
    });
    expect(rs.map((r) => [r.layout, r.records])).toEqual([['genai-perf-json', 1], ['aiperf-json', 1], ['plain-csv', 6]]);
    const all = (await engine.call('performance.listMeasurements', {})).flatMap((d) => d.measurements);
    const gp = all.find((m) => m.provenance.layout === 'genai-perf-json')!;
    // The file's own backend (tensorrtllm) beats the --engine flag; concurrency from input_config.
    expect(gp).toMatchObject({ engine: 'trtllm', concurrency: 16, inputTokens: 550, outputTokens: 256, outputTokensPerS: 793.6, requestsPerS: 3.1 });
    expect(gp.ttftMs).toEqual({ mean: 182.4, p50: 178.9, p90: 221.7, p99: 260.1 });
    expect(gp.tpotMs.p90).toBe(16.6);
    const ai = all.find((m) => m.provenance.layout === 'aiperf-json')!;
    expect(ai).toMatchObject({ model: 'openai/gpt-oss-20b', engine: 'vllm', concurrency: 100, outputTokensPerS: 1274.63, outputTokens: 96.85 });
    expect(ai.ttftMs.p90).toBe(3695.1);
    const plain = all.filter((m) => m.provenance.layout === 'plain-csv');
    expect(plain.map((m) => m.concurrency)).toEqual([1, 8, 32, 1, 8, 32]);
    expect(plain[2]).toMatchObject({ outputTokensPerS: 2210.7, ttftMs: { mean: 140.9, p90: 260.3 }, tpotMs: { mean: 13.9, p90: 15.2 } });
    engine.close();
  });

  it('reads the CSV exports, whose load comes from --concurrency, with thousands separators', async () => {
    const engine = memoryEngine();
    const rs = await engine.call('performance.importMeasurements', { files: [fixture('profile_export_genai_perf.csv'), fixture('profile_export_aiperf.csv')], model: 'Llama-3-8B', gpu: 'L40S', gpus: 1, precision: 'fp8', engine: 'trtllm', concurrency: 16 });
    expect(rs.map((r) => r.layout)).toEqual(['genai-perf-csv', 'aiperf-csv']);
    const all = (await engine.call('performance.listMeasurements', {})).flatMap((d) => d.measurements);
    const gp = all.find((m) => m.provenance.layout === 'genai-perf-csv')!;
    expect(gp).toMatchObject({ concurrency: 16, inputTokens: 550, outputTokens: 256, outputTokensPerS: 793.6, requestsPerS: 3.1, ttftMs: { mean: 182.4, p50: 178.9, p90: 221.7, p99: 260.1 } });
    const ai = all.find((m) => m.provenance.layout === 'aiperf-csv')!;
    expect(ai).toMatchObject({ outputTokensPerS: 1274.63, requestsPerS: 13.16, outputTokens: 96.85, tpotMs: { mean: 51.76, p90: 53.18 } });
    engine.close();
  });
});

describe('perf import: refusals write nothing', () => {
  async function expectEmpty(engine: ReturnType<typeof memoryEngine>) {
    expect(await engine.call('performance.listMeasurements', {})).toEqual([]);
  }

  it('an unknown layout lists the accepted ones', async () => {
    const engine = memoryEngine();
    const f = write('other.csv', 'a,b,c\n1,2,3\n');
    const err = await refusal(engine.call('performance.importMeasurements', { files: [fixture('plain.csv'), f] }));
    expect(err.code).toBe('FILE_FORMAT');
    for (const l of measurementLayouts) expect(err.message).toContain(l);
    await expectEmpty(engine);
    engine.close();
  });

  it('a negative figure names its row and column; a non-numeric one too', async () => {
    const engine = memoryEngine();
    const text = 'model,gpu,gpus,precision,engine,input_tokens,output_tokens,concurrency,output_tok_s,ttft_ms,tpot_ms\nm,L4,1,bf16,vllm,100,100,1,50,20,10\nm,L4,1,bf16,vllm,100,100,2,90,-3,11\n';
    const err = await refusal(engine.call('performance.importMeasurements', { files: [fixture('plain.csv'), write('neg.csv', text)] }));
    expect(err.code).toBe('FILE_FORMAT');
    expect(err.message).toMatch(/neg\.csv, row 3, column "ttft_ms": must be positive/);
    expect(err.details).toMatchObject({ row: 3, column: 'ttft_ms' });
    const err2 = await refusal(engine.call('performance.importMeasurements', { files: [write('nan.csv', text.replace('-3', 'fast'))] }));
    expect(err2.message).toMatch(/row 3, column "ttft_ms": not a number/);
    const err3 = await refusal(engine.call('performance.importMeasurements', { files: [write('zero.json', JSON.stringify({ backend: 'vllm', completed: 10, total_input_tokens: 1000, total_output_tokens: 100, output_throughput: 0, request_throughput: 1, request_rate: 1 }))], model: 'm', gpu: 'L4', gpus: 1, precision: 'bf16' }));
    expect(err3.message).toMatch(/zero\.json, row 1, column "output_throughput": must be positive/);
    await expectEmpty(engine);
    engine.close();
  });

  it('missing deployment fields are named, with the flags that give them', async () => {
    const engine = memoryEngine();
    const err = await refusal(engine.call('performance.importMeasurements', { files: [vllmSample] }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/precision; give --precision/);
    expect(err.details).toMatchObject({ missing: ['precision'] });
    const err2 = await refusal(engine.call('performance.importMeasurements', { files: [fixture('profile_export_genai_perf.csv')] }));
    expect(err2.details).toMatchObject({ missing: ['model', 'gpu', 'gpus', 'precision', 'engine'] });
    await expectEmpty(engine);
    engine.close();
  });

  it('the same file twice is refused, and the first import stands alone', async () => {
    const engine = memoryEngine();
    await engine.call('performance.importMeasurements', { files: [fixture('plain.csv')] });
    const err = await refusal(engine.call('performance.importMeasurements', { files: [fixture('profile_export_genai_perf.json'), fixture('plain.csv')], gpu: 'L4', gpus: 1, precision: 'bf16' }));
    expect(err.code).toBe('CONFLICT');
    const ds = await engine.call('performance.listMeasurements', {});
    expect(ds.flatMap((d) => d.measurements).map((m) => m.provenance.layout)).toEqual(Array(6).fill('plain-csv'));
    engine.close();
  });
});
