import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AllocationResult, DeploymentCount, GpuSweepResult, RefusedDeployment, SweepPoint, WhatIfResult } from '../../../shared/contract/allocation';
import { EngineError, fileError } from '../../../shared/errors';
import type { Engine } from '../../engine/engine';
import type { JobContext } from '../../engine/jobs/context';
import type { RegisterCommand } from '../env';
import { numberOption as num } from '../numbers';
import { faultPointAsync } from '../../engine/jobs/fault-point';
import { table } from '../output';

export function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new EngineError('NOT_FOUND', `cannot read ${file}`, { file });
  }
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('expected a JSON object');
    return v;
  } catch (e) {
    throw fileError(file, null, null, `not valid JSON: ${(e as Error).message}`);
  }
}


/** `--input FILE` or workspace plan settings from the flags. */
function source(opts: Record<string, any>) {
  if (opts.input) return { problem: readJson(opts.input) };
  if (opts.traffic == null) throw new EngineError('INVALID_INPUT', 'give --input FILE, or --traffic QPS to plan from the workspace', { field: 'traffic' });
  const slo = opts.ttftP90Ms != null || opts.tpotP90Ms != null ? { slo: { ttftP90Ms: opts.ttftP90Ms ?? 2000, tpotP90Ms: opts.tpotP90Ms ?? 100 } } : {};
  return {
    workspace: { trafficQps: opts.traffic, hourlySpendCap: opts.spendCap ?? null, maxUtilisation: opts.maxUtil ?? 0.8, sampleSize: opts.sample ?? 2000, datasetId: opts.dataset, seed: opts.seed ?? 7, predictorId: opts.predictor, ...slo, ...(opts.engine ? { engine: opts.engine } : {}), ...(opts.precision ? { precision: opts.precision } : {}) },
  };
}

const planFlags = (c: Command) =>
  c
    .option('--input <file>', 'allocation problem (paper or extended form, JSON)')
    .option('--traffic <qps>', 'plan from the workspace at this traffic rate (queries/s)', num)
    .option('--spend-cap <usd>', 'hourly spend cap, USD (workspace plans)', num)
    .option('--max-util <rho>', 'utilisation ceiling for typed-in profiles (default 0.8; performance-model capacity is goodput at the SLO)', num)
    .option('--ttft-p90-ms <ms>', 'latency SLO: p90 time to first token, ms (default 2000)', num)
    .option('--tpot-p90-ms <ms>', 'latency SLO: p90 time per output token, ms (default 100)', num)
    .option('--engine <e>', 'serving engine profile of self-hosted deployments: vllm | trtllm (default vllm)')
    .option('--precision <p>', 'weight precision of self-hosted deployments: bf16 | fp16 | fp8 | int8 | int4 (default bf16)')
    .option('--sample <n>', 'queries sampled from the dataset (default 2000)', num)
    .option('--dataset <id>', 'dataset id (default: the most recent)', num)
    .option('--seed <n>', 'sampling seed', num)
    .option('--predictor <id>', 'stored predictor whose calibrated probabilities give expected quality', num);

const fmt = (x: number | null | undefined, d = 4) => (x == null ? null : Number.isFinite(x) ? x.toFixed(d) : String(x));

function humanAllocation(r: AllocationResult): string {
  const head = table([
    ['status', 'solver', 'objective', 'bound', 'gap', 'ms', 'binding'],
    [r.status, r.solver, fmt(r.objective), fmt(r.bound), r.gap == null ? null : `${(r.gap * 100).toFixed(3)}%`, r.ms, r.binding ?? null],
  ]);
  const inst = r.form === 'paper' ? (r.instances as (number | null)[]).map((c, j) => [`model ${j}`, '', c]) : (r.instances as DeploymentCount[]).filter((d) => d.count > 0).map((d) => [d.model, d.gpuType, d.count]);
  const uni = r.uniform && !r.baselines ? `\nuniform split of the same GPUs: ${fmt(r.uniform.objective)} (optimised ${fmt(r.objective)})` : '';
  return `${head}${r.message ? `\n${r.message}` : ''}\n\n${table([['model', 'gpu type', 'instances'], ...inst])}${uni}${r.baselines ? `\n\n${humanBaselines(r)}` : ''}${humanRefused(r.refusedDeployments)}`;
}

/** Options the plan could not use: said, not silently dropped. */
function humanRefused(refused: RefusedDeployment[] | undefined): string {
  if (!refused?.length) return '';
  return `\n\nleft out of the plan (${refused.length} deployment option${refused.length === 1 ? '' : 's'}):\n${refused.map((d) => `  ${d.model} on ${d.gpuType}: ${d.reason}`).join('\n')}`;
}

/** The optimised plan beside the hand-drawn baselines, with the deltas. */
function humanBaselines(r: AllocationResult): string {
  const gpus = (g: Record<string, number>) => Object.entries(g).filter(([, v]) => v > 0).map(([t, v]) => `${v} ${t}`).join(', ') || '—';
  const delta = (a: number | null | undefined, b: number | null | undefined, scale = 1, digits = 2) => (a == null || b == null ? null : `${a - b >= 0 ? '+' : ''}${((a - b) * scale).toFixed(digits)}`);
  const p90 = (b: AllocationResult['busiest']) => (b ? `${b.model}${b.ttftP90Ms != null ? ` ${Math.round(b.ttftP90Ms)} / ${Math.round(b.tpotP90Ms ?? NaN)} ms` : ' —'}` : '—');
  const rows = [['plan', 'quality', '$/hour', '$/month', 'GPUs', 'busiest model p90 TTFT / TPOT', 'Δ quality (points)', 'Δ $/month'], ['optimised', fmt(r.objective), fmt(r.hourlyCost, 2), fmt(r.monthlyCost, 0), gpus(r.gpusUsed), p90(r.busiest), null, null]];
  for (const b of r.baselines!) rows.push([`${b.label}${b.overCap ? ' (over the cap)' : ''}`, fmt(b.quality), fmt(b.hourlyCost, 2), fmt(b.monthlyCost, 0), b.feasible ? gpus(b.gpusUsed) : (b.note ?? 'infeasible'), p90(b.busiest), delta(r.objective, b.quality, 100), delta(r.monthlyCost, b.monthlyCost, 1, 0)]);
  return table(rows);
}

function humanGpuSweep(r: GpuSweepResult): string {
  const rows = r.points.map((x) => [x.gpus, x.status, fmt(x.objective), fmt(x.bound), x.gap == null ? null : `${(x.gap * 100).toFixed(3)}%`, x.gpusUsed, Math.round(x.ms)]);
  return `${table([[`${r.gpuType} GPUs`, 'status', 'objective', 'bound', 'gap', 'GPUs used', 'ms'], ...rows])}\n${r.points.length} points in ${r.ms} ms`;
}

function parseCounts(spec: string): number[] {
  const parts = String(spec).split(',').map((x) => x.trim()).filter(Boolean);
  const bad = parts.find((x) => !/^\d+$/.test(x));
  if (bad != null || !parts.length) throw new EngineError('INVALID_INPUT', `--sweep-gpus: "${bad ?? spec}" is not a whole number of GPUs (give a list such as 8,16,32)`, { field: 'sweepGpus' });
  return parts.map(Number);
}

function humanWhatIf(r: WhatIfResult & { refusedDeployments?: RefusedDeployment[] }): string {
  const head = table([
    ['status', 'quality', 'traffic q/s', 'capacity q/s', 'headroom q/s', '$/hour', '$/1k queries'],
    [r.status, fmt(r.quality), r.trafficQps, fmt(r.capacityQps, 2), fmt(r.headroomQps, 2), fmt(r.hourlyCost, 2), fmt(r.costPer1k, 4)],
  ]);
  // Models with neither instances nor traffic are left out of the table (counted below it).
  const shown = r.models.filter((m) => m.instances > 0 || m.share > 0);
  // With per-query lengths: the mean prompt / output tokens of the queries routed to each model.
  const byLength = shown.some((m) => m.lengths);
  const p90From = (m: WhatIfResult['models'][number]) => (!m.latencySource ? null : m.latencySource.ttftP90Ms === m.latencySource.tpotP90Ms ? m.latencySource.ttftP90Ms : `${m.latencySource.ttftP90Ms}/${m.latencySource.tpotP90Ms}`);
  const rows = shown.map((m) => [m.model, m.hosted ? 'hosted' : 'api', m.instances, fmt(m.share, 3), fmt(m.arrivalQps, 2), ...(byLength ? [m.lengths ? `${fmt(m.lengths.inputTokens, 0)}/${fmt(m.lengths.outputTokens, 0)}` : null] : []), fmt(m.capacityQps, 2), fmt(m.utilisation, 3), fmt(m.ttftP90Ms, 0), fmt(m.tpotP90Ms, 1), p90From(m), m.capacitySource ?? (m.hosted ? null : 'api'), fmt(m.hourlyCost, 2)]);
  const idle = r.models.length - shown.length;
  const header = ['model', 'kind', 'instances', 'share', 'q/s', ...(byLength ? ['in/out tok'] : []), 'capacity q/s', 'util', 'p90 TTFT ms', 'p90 TPOT ms', 'p90 from', 'capacity from', '$/h'];
  return `${head}${r.message ? `\n${r.message}` : ''}\n\n${table([header, ...rows])}${idle ? `\n(${idle} more models have no instances and no traffic)` : ''}${humanRefused(r.refusedDeployments)}`;
}

function parseInstances(spec: string): DeploymentCount[] {
  // "model@gpu=3,other@gpu=1"
  return spec.split(',').filter(Boolean).map((part) => {
    const m = /^(.+)@([^=]+)=(\d+)$/.exec(part.trim());
    if (!m) throw new EngineError('INVALID_INPUT', `--instances: "${part}" is not model@gpuType=count`, { field: 'instances' });
    return { model: m[1], gpuType: m[2], count: Number(m[3]) };
  });
}

function parsePurchase(spec: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (spec ?? '').split(',').filter(Boolean)) {
    const m = /^([^=]+)=(-?\d+)$/.exec(part.trim());
    if (!m) throw new EngineError('INVALID_INPUT', `--buy: "${part}" is not gpuType=count`, { field: 'purchase' });
    if (m[1].trim() === '__proto__') throw new EngineError('INVALID_INPUT', '--buy: "__proto__" is a reserved name, not a GPU type', { field: 'purchase' });
    out[m[1]] = Number(m[2]);
  }
  return out;
}

async function whatIf(engine: Engine, ctx: JobContext, opts: Record<string, any>): Promise<(WhatIfResult & { refusedDeployments?: RefusedDeployment[] }) | SweepPoint[]> {
  const prep = await engine.call('whatif.prepare', source(opts), ctx);
  const purchase = parsePurchase(opts.buy);
  if (opts.sweep) return engine.call('whatif.sweep', { contextId: prep.contextId, gpuType: opts.sweep, maxBuy: opts.maxBuy ?? 16, steps: opts.steps ?? 9 }, ctx);
  let instances: DeploymentCount[];
  if (opts.instances) instances = parseInstances(opts.instances);
  else {
    const best = await engine.call('whatif.optimise', { contextId: prep.contextId, purchase }, ctx);
    if (best.status === 'infeasible') throw new EngineError('INFEASIBLE', best.message ?? 'no feasible allocation', { binding: best.binding });
    instances = best.instances as DeploymentCount[];
  }
  const result = await engine.call('whatif.evaluate', { contextId: prep.contextId, instances, purchase, trafficQps: opts.whatTraffic }, ctx);
  await faultPointAsync('whatif.evaluated', ctx.signal);
  ctx.check(); // a stop during the evaluation saves nothing
  if (opts.save) await engine.call('scenarios.save', { name: opts.save, kind: 'whatif', input: { ...source(opts), instances, purchase }, result }, ctx);
  return prep.refusedDeployments.length ? { ...result, refusedDeployments: prep.refusedDeployments } : result;
}

export const registerAllocationCommands: RegisterCommand = (program, env) => {
  planFlags(program.command('allocate').description('offline instance allocation: instances per model (and GPU type) that maximise expected quality'))
    .option('--solver <s>', 'auto | highs | decomposition', 'auto')
    .option('--time-limit <ms>', 'hard time limit (default 30000)', num)
    .option('--gap <g>', 'relative gap to stop at (default 0.01)', num)
    .option('--uniform', 'also evaluate the uniform split of the same GPUs')
    .option('--sweep-gpus <list>', 'procurement curve: allocate at each of these GPU counts (e.g. 8,16,32,64), each point warm-started from the last')
    .option('--sweep-type <gpuType>', 'with --sweep-gpus on the extended form: the GPU type whose count is set')
    .action(function (this: Command) {
      return env.run(this, async (engine, ctx, opts) => {
        if (opts.sweepGpus != null) {
          const gpus = parseCounts(opts.sweepGpus);
          return engine.call('allocation.gpuSweep', { ...source(opts), gpus, gpuType: opts.sweepType, timeLimitMs: opts.timeLimit, mipGap: opts.gap ?? 1e-3 }, ctx);
        }
        const res = await engine.call('allocation.solve', { ...source(opts), solver: opts.solver, timeLimitMs: opts.timeLimit, mipGap: opts.gap, compareUniform: !!opts.uniform }, ctx);
        if (res.status === 'infeasible') process.exitCode = 3;
        return res;
      }, (r: AllocationResult | GpuSweepResult) => ('points' in r ? humanGpuSweep(r) : humanAllocation(r)));
    });

  planFlags(program.command('whatif').description('quality, headroom, $/hour and utilisation for given instance counts (or the optimised ones)'))
    .option('--instances <list>', 'model@gpuType=count,... (default: optimise)')
    .option('--buy <list>', 'GPUs bought per type: H100=8,L4=-2')
    .option('--what-traffic <qps>', 'evaluate at another traffic rate', num)
    .option('--sweep <gpuType>', 'procurement sweep over GPUs bought of this type')
    .option('--max-buy <n>', 'sweep up to this many GPUs (default 16)', num)
    .option('--steps <n>', 'sweep points (default 9)', num)
    .option('--save <name>', 'save the result as a scenario')
    .action(function (this: Command) {
      return env.run(this, (engine, ctx, opts) => whatIf(engine, ctx, opts), (r: WhatIfResult | SweepPoint[]) =>
        Array.isArray(r) ? table([['bought', 'status', 'quality', 'gap', '$/hour', '$/1k'], ...r.map((p) => [p.bought, p.status, fmt(p.quality), p.gap == null ? null : `${(p.gap * 100).toFixed(3)}%`, fmt(p.hourlyCost, 2), fmt(p.costPer1k, 4)])]) : humanWhatIf(r),
      );
    });

  const sc = program.command('scenarios').description('saved what-if scenarios');
  sc.command('list').action(function (this: Command) {
    return env.run(this, (engine) => engine.call('scenarios.list', {}), (rows) => table([['name', 'kind', 'created'], ...rows.map((r) => [r.name, r.kind, r.createdAt])]));
  });
  sc.command('compare <names...>').action(function (this: Command, names: string[]) {
    return env.run(this, (engine) => engine.call('scenarios.compare', { names }), (c) => table([['metric', ...c.names], ...c.rows.map((r) => [r.metric, ...r.values.map((v) => (typeof v === 'number' ? Number(v.toFixed(4)) : v))])]));
  });
  sc.command('delete <name>').action(function (this: Command, name: string) {
    return env.run(this, (engine) => engine.call('scenarios.delete', { name }), (r) => (r.deleted ? `deleted ${name}` : `no scenario ${name}`));
  });
};
