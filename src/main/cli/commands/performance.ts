// `routeplan perf estimate`, `routeplan models`: the serving-performance model and its model
// catalog (`routeplan gpus` is gpus.ts). `perf import` / `perf list` hang under the same `perf` command
// (performance-measurements.ts); whichever file registers first creates it.
import { InvalidArgumentError, type Command } from 'commander';
import type { ModelArchView, PerformanceCurve, PerformanceEstimate } from '../../../shared/contract/performance';
import type { RegisterCommand } from '../env';
import { positiveOption as positive } from '../numbers';
import { table } from '../output';
import { memoryWorkspaceUnlessGiven } from './routing-workspace';

const oneOf = (flag: string, values: string[]) => (v: string) => {
  if (!values.includes(v)) throw new InvalidArgumentError(`${flag} must be one of ${values.join(', ')}, got ${v}`);
  return v;
};
const precisions = ['bf16', 'fp16', 'fp8', 'int8', 'int4'];
const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? null : x.toFixed(d));

function deploymentOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--model <name|config.json>', 'catalog model (see `routeplan models`) or a path to a Hugging Face config.json')
    .requiredOption('--gpu <type>', 'GPU type (see `routeplan gpus`)')
    .requiredOption('--gpus <n>', 'GPUs per instance', positive('--gpus', true))
    .option('--tp <n>', 'tensor-parallel degree (default: --gpus; pipeline stages = gpus / tp)', positive('--tp', true))
    .option('--precision <p>', `weight precision: ${precisions.join(' | ')}`, oneOf('--precision', precisions), 'bf16')
    .option('--kv-precision <p>', 'KV-cache precision (default: the weight precision; 16-bit for int4)', oneOf('--kv-precision', precisions))
    .option('--engine <e>', 'vllm | trtllm', oneOf('--engine', ['vllm', 'trtllm']), 'vllm')
    .option('--context-tokens <n>', 'context length memory is planned for (default min(4096, model limit))', positive('--context-tokens', true))
    .option('--emulate-precision', 'allow FP8/INT8 on a GPU without such tensor cores (weight-only emulation)')
    .option('--gpu-file <file>', 'your GPUs (JSON array or CSV) laid over the built-in catalog')
    .requiredOption('--input-tokens <n>', 'prompt tokens per request', positive('--input-tokens'))
    .requiredOption('--output-tokens <n>', 'output tokens per request', positive('--output-tokens'));
}

function deploymentInput(o: Record<string, any>) {
  return {
    model: o.model, gpu: o.gpu, gpus: o.gpus, tp: o.tp, precision: o.precision, kvPrecision: o.kvPrecision, engine: o.engine,
    contextTokens: o.contextTokens, emulatePrecision: Boolean(o.emulatePrecision), gpuFile: o.gpuFile,
    inputTokens: o.inputTokens, outputTokens: o.outputTokens,
  };
}

function humanEstimate(e: PerformanceEstimate): string {
  const d = e.deployment;
  const pct = (p: PerformanceEstimate['ttftMs']) => [f(p.mean), f(p.p50), f(p.p90), f(p.p99)];
  return [
    `${d.model} on ${d.gpus}x${d.gpu} (tp ${d.tp}, ${d.precision} weights, ${d.kvPrecision} KV, ${d.engine}) — ${e.source}`,
    table([
      ['output tok/s', 'requests/s', 'running seqs', 'max concurrency', ...(e.goodputRequestsPerS !== undefined ? ['goodput req/s'] : [])],
      [f(e.outputTokensPerS), f(e.requestsPerS, 3), f(e.concurrency), e.maxConcurrency, ...(e.goodputRequestsPerS !== undefined ? [f(e.goodputRequestsPerS, 3)] : [])],
    ]),
    table([['ms', 'mean', 'p50', 'p90', 'p99'], ['TTFT', ...pct(e.ttftMs)], ['TPOT', ...pct(e.tpotMs)]]),
    table([['memory GB', 'weights', 'KV cache', 'runtime', 'usable', 'KV MB/token', 'KV tokens'], ['', f(e.memory.weightsGb), f(e.memory.kvCacheGb), f(e.memory.overheadGb), f(e.memory.usableGb), f(e.memory.kvBytesPerToken / 1e6, 3), e.memory.kvTokenCapacity]]),
    ...figureSourceLines(e),
  ].join('\n');
}

/** Where the workspace's measurements answered: which figures are measured, which fitted. */
function figureSourceLines(e: PerformanceEstimate): string[] {
  const bySource = new Map<string, string[]>();
  for (const [figure, source] of Object.entries(e.figureSources ?? {})) bySource.set(source, [...(bySource.get(source) ?? []), figure]);
  return [...bySource].map(([source, figures]) => `${source}: ${figures.join(', ')}`);
}

function humanCurve(c: PerformanceCurve): string {
  return table([['concurrency', 'output tok/s', 'req/s', 'p90 TTFT ms', 'p90 TPOT ms', 'KV GB'], ...c.points.map((p) => [p.concurrency, f(p.outputTokensPerS), f(p.requestsPerS, 3), f(p.ttftP90Ms), f(p.tpotP90Ms, 2), f(p.kvUsedGb, 2)])]);
}

function humanModels(ms: ModelArchView[]): string {
  return table([['model', 'params B', 'active B', 'layers', 'hidden', 'heads', 'KV heads', 'head dim', 'MLP', 'vocab', 'experts', 'KV MB/token (16-bit)', 'source'], ...ms.map((m) => [m.name, m.paramsB, m.activeParamsB, m.layers, m.hiddenSize, m.heads, m.kvHeads, m.headDim, m.intermediateSize, m.vocabSize, m.experts ? `${m.expertsPerToken}/${m.experts}` : null, f(m.kvMbPerToken, 3), m.source])]);
}

export const registerPerformanceCommands: RegisterCommand = (program, env) => {
  const perf = program.commands.find((c) => c.name() === 'perf') ?? program.command('perf').description('serving performance: estimates and your own measurements');

  deploymentOptions(perf.command('estimate').description('throughput, TTFT/TPOT (mean, p50, p90, p99), memory and goodput of one deployment under continuous batching'))
    .option('--concurrency <n>', 'requests in flight (closed loop)', positive('--concurrency'))
    .option('--rate <r>', 'Poisson arrivals, requests/s to this one instance', positive('--rate'))
    .option('--max-throughput', 'the most the instance serves (KV-cache / batch limit)')
    .option('--ttft-p90-ms <ms>', 'SLO: p90 time to first token (with --tpot-p90-ms: goodput)', positive('--ttft-p90-ms'))
    .option('--tpot-p90-ms <ms>', 'SLO: p90 time per output token', positive('--tpot-p90-ms'))
    .action(function (this: Command) {
      memoryWorkspaceUnlessGiven(this);
      return env.run(
        this,
        (engine, ctx, o) => engine.call('performance.estimate', { ...deploymentInput(o), concurrency: o.concurrency, rate: o.rate, maxThroughput: o.maxThroughput ? true : undefined, ttftP90Ms: o.ttftP90Ms, tpotP90Ms: o.tpotP90Ms }, ctx),
        humanEstimate,
      );
    });

  deploymentOptions(perf.command('curve').description('output tok/s, p90 TTFT and p90 TPOT as concurrency grows to the KV-cache limit'))
    .option('--points <n>', 'points on the curve', positive('--points', true), 24)
    .action(function (this: Command) {
      memoryWorkspaceUnlessGiven(this);
      return env.run(this, (engine, ctx, o) => engine.call('performance.curve', { ...deploymentInput(o), points: o.points }, ctx), humanCurve);
    });

  program
    .command('models')
    .description('the model-architecture catalog (each entry cites its config.json)')
    .action(function (this: Command) {
      memoryWorkspaceUnlessGiven(this);
      return env.run(this, (engine) => engine.call('performance.models', {}), humanModels);
    });
};
