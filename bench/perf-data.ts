// The public measurements in ../shared/data/perf/ as MeasuredPoints, each with the deployment it
// was measured on. Read-only: the data stay in the shared folder (see its README for provenance).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { gpuSpec, modelArch } from '../src/main/engine/performance/catalog/lookup';
import type { Deployment, MeasuredPoint, Precision, ServingEngine } from '../src/main/engine/performance/types';

export interface PublicPoint {
  /** Which file (grid) it comes from. */
  grid: 'trtllm' | 'lmdeploy' | 'splitwise' | 'qwen2.5' | 'vllm-sample';
  point: MeasuredPoint;
  d: Deployment;
}

function deployment(model: string, gpu: string, gpus: number, precision: Precision, engine: ServingEngine): Deployment {
  return { model: modelArch(model), gpu: gpuSpec(gpu), gpus, tp: gpus, weightPrecision: precision, kvPrecision: precision === 'int4' ? 'fp16' : precision, engine };
}

const rows = (file: string): Record<string, string>[] => parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true });

function make(grid: PublicPoint['grid'], d: Deployment, p: Omit<MeasuredPoint, 'model' | 'gpu' | 'gpus' | 'tp' | 'precision' | 'engine'>): PublicPoint {
  return { grid, d, point: { model: d.model.name, gpu: d.gpu.name, gpus: d.gpus, tp: d.tp, precision: d.weightPrecision, engine: d.engine, ...p } };
}

/** TensorRT-LLM 0.14 max-throughput grid: output tok/s of the whole TP group, all requests queued. */
function trtllm(dir: string): PublicPoint[] {
  return rows(join(dir, 'grid-trtllm-v0.14-max-throughput.csv')).map((r, i) =>
    make('trtllm', deployment(r.model, r.gpu, Number(r.tp), r.precision as Precision, 'trtllm'), {
      inputTokens: Number(r.isl), outputTokens: Number(r.osl), maxThroughput: true, outputTokensPerS: Number(r.throughput_tok_s_total_group),
      source: `grid-trtllm-v0.14-max-throughput.csv row ${i + 2}`,
    }),
  );
}

/** LMDeploy TurboMind 0.1.0 static batches (grouped with the trtllm profile: a C++ engine with CUDA graphs). */
function lmdeploy(dir: string): PublicPoint[] {
  return rows(join(dir, 'grid-lmdeploy-v0.1.0-a100-static.csv')).map((r, i) =>
    make('lmdeploy', deployment(r.model, 'A100-80GB', Number(r.tp), 'fp16', 'trtllm'), {
      inputTokens: Math.max(1, Number(r.prompt_tokens)), outputTokens: Number(r.output_tokens), concurrency: Number(r.batch), staticBatch: true,
      outputTokensPerS: Number(r.throughput_out_tok_s), ttftMs: { mean: Number(r.FTL_ave_s) * 1000 }, tpotMs: { p50: Number(r.token_lat_p50_s) * 1000, p99: Number(r.token_lat_p99_s) * 1000 },
      source: `grid-lmdeploy-v0.1.0-a100-static.csv row ${i + 2}`,
    }),
  );
}

/** Splitwise profiles (mean of the ~5 repeats); power-capped H100 rows are left out (no spec for them). */
function splitwise(dir: string): PublicPoint[] {
  const groups = new Map<string, { r: Record<string, string>; n: number; prompt: number; token: number; first: number }>();
  rows(join(dir, 'grid-splitwise-perfmodel-llama2-70b-bloom-176b.csv')).forEach((r, i) => {
    if (r.hardware.endsWith('-pcap')) return;
    const key = [r.model, r.hardware, r.tensor_parallel, r.prompt_size, r.batch_size, r.token_size].join('|');
    const g = groups.get(key) ?? { r, n: 0, prompt: 0, token: 0, first: i + 2 };
    g.n++;
    g.prompt += Number(r.prompt_time);
    g.token += Number(r.token_time);
    groups.set(key, g);
  });
  return [...groups.values()].map(({ r, n, prompt, token, first }) => {
    const batch = Number(r.batch_size);
    const out = Number(r.token_size);
    return make('splitwise', deployment(r.model, r.hardware, Number(r.tensor_parallel), 'fp16', 'vllm'), {
      inputTokens: Number(r.prompt_size), outputTokens: out, concurrency: batch, staticBatch: true,
      // e2e_time is not usable: for long outputs its repeats disagree up to 3x and imply speeds the
      // per-token time rules out, so throughput is not compared (outputTokensPerS 0 = absent)
      outputTokensPerS: 0, ttftMs: { mean: prompt / n }, tpotMs: { mean: token / n },
      source: `grid-splitwise-perfmodel-llama2-70b-bloom-176b.csv rows from ${first} (mean of ${n})`,
    });
  });
}

/** Qwen2.5 single-stream decode speed with vLLM 0.6.3 on A100-80GB (BF16, 2,048 output tokens). */
function qwen(dir: string): PublicPoint[] {
  return rows(join(dir, 'grid-qwen2.5-vllm-bs1-a100.csv')).map((r, i) =>
    make('qwen2.5', deployment(r.model, 'A100-80GB', Number(r.gpu_num), 'bf16', 'vllm'), {
      inputTokens: Number(r.input_len), outputTokens: Number(r.output_len), concurrency: 1, staticBatch: true, outputTokensPerS: Number(r.speed_out_tok_s),
      source: `grid-qwen2.5-vllm-bs1-a100.csv row ${i + 2}`,
    }),
  );
}

/**
 * The vLLM benchmark_serving sample: 4 L40S replicas of Llama-3.2-3B (one GPU each) behind a
 * gateway, so one instance gets a quarter of the rate and of the throughput. Output lengths
 * are what the runs produced (total output / completed, ~270), not the requested 500.
 */
function vllmSample(dir: string): PublicPoint[] {
  const text = readFileSync(join(dir, 'sample-vllm-nerdalert-llmd-L40S-Llama-3.2-3B.json'), 'utf8');
  return text.split('\n').filter((l) => l.trim()).map((l, i) => {
    const r = JSON.parse(l);
    const replicas = Number(r.decode_replicas) || 1;
    const inf = r.request_rate === 'inf' || r.request_rate === Infinity;
    const out = Math.round(r.total_output_tokens / r.completed);
    return make('vllm-sample', deployment(r.model_id, 'L40S', 1, 'bf16', 'vllm'), {
      inputTokens: Math.round(r.total_input_tokens / r.completed), outputTokens: out,
      ...(inf ? { maxThroughput: true } : { rate: Number(r.request_rate) / replicas }),
      outputTokensPerS: r.output_throughput / replicas,
      // with every request queued at once the latencies measure a drained burst, not a steady state
      ...(inf ? {} : { ttftMs: { mean: r.mean_ttft_ms, p50: r.median_ttft_ms, p99: r.p99_ttft_ms }, tpotMs: { mean: r.mean_tpot_ms, p50: r.median_tpot_ms, p99: r.p99_tpot_ms } }),
      source: `sample-vllm-nerdalert-llmd-L40S-Llama-3.2-3B.json record ${i + 1} (${r.deployment}, rate ${r.request_rate})`,
    });
  });
}

export function publicPoints(dir: string): PublicPoint[] {
  return [...trtllm(dir), ...lmdeploy(dir), ...splitwise(dir), ...qwen(dir), ...vllmSample(dir)];
}
