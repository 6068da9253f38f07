import type { Command } from 'commander';
import type { PlanCreateResult, ReplayReportOut } from '../../../shared/contract';
import { EngineError } from '../../../shared/errors';
import type { RegisterCommand } from '../env';
import { numberOption as num } from '../numbers';
import { writeOutFile } from '../out-file';
import { table } from '../output';
import { readJson } from './allocation';
import { parseInterval } from './demand';

const pct = (x: number | null | undefined) => (x == null ? null : `${(x * 100).toFixed(2)}%`);
const usd = (x: number | null | undefined) => (x == null ? null : `$${Math.round(x).toLocaleString('en-US')}`);
const ms = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? null : x.toFixed(0));

function modeOf(opts: Record<string, any>) {
  const m = opts.mode ?? 'static';
  if (m === 'static') return { mode: 'static', ...(opts.percentile != null ? { percentile: opts.percentile } : {}), nPlusOne: !!opts.nPlusOne };
  if (m === 'autoscale') return { mode: 'autoscale', ...(opts.scaleUpDelay != null ? { scaleUpDelayS: opts.scaleUpDelay } : {}), ...(opts.minReplicas != null ? { minReplicas: opts.minReplicas } : {}), ...(opts.scaleStep != null ? { scaleStep: opts.scaleStep } : {}) };
  if (m === 'overflow') return { mode: 'overflow', ...(opts.percentile != null ? { percentile: opts.percentile } : {}), ...(opts.overflowModel ? { overflowModel: opts.overflowModel } : {}) };
  throw new EngineError('INVALID_INPUT', `--mode ${m}: give static, autoscale or overflow`, { field: 'mode' });
}

function planText(r: PlanCreateResult): string {
  const p = r.plan;
  const peak = (j: number) => Math.max(...p.intervals.map((iv) => iv.instances[j]));
  const deps = p.deployments.map((d, j) => [p.models[d.model].name, `${d.gpusPerInstance}x${d.gpuType}`, d.goodputPerInstance.toFixed(2), Math.min(...p.intervals.map((iv) => iv.instances[j])), peak(j), ms(Math.max(...p.intervals.map((iv) => iv.ttftP90Ms[d.model] ?? 0))), ms(Math.max(...p.intervals.map((iv) => iv.tpotP90Ms[d.model] ?? 0)))]);
  const m = p.money;
  return [
    `${p.mode} plan over ${p.intervals.length} intervals of ${p.intervalS / 60} min; objective ${r.objective}; quality ${r.quality?.toFixed(4) ?? '—'} (design point ${r.design.trafficQps.toFixed(2)} q/s)`,
    `promised SLO attainment ${pct(r.sloAttainment)} (p90 TTFT <= ${p.slo.ttftP90Ms} ms, p90 TPOT <= ${p.slo.tpotP90Ms} ms${p.promise ? `; ${p.promise.method}, intervals sized for their busiest ${p.promise.burstWindowS} s` : ''}); ${usd(r.monthlyCost)}/month`,
    ...(p.qualityPremium
      ? [`the cheapest plan serving the same traffic: quality ${p.qualityPremium.cheapestQuality?.toFixed(4) ?? '—'}, ${usd(p.qualityPremium.cheapestMonthlyCost)}/month (SLO ${pct(p.qualityPremium.cheapestSloAttainment)}); this plan's quality costs ${usd(p.qualityPremium.premiumMonth)}/month more`]
      : []),
    '',
    table([['model', 'instance', 'goodput q/s', 'min instances', 'max instances', 'worst p90 TTFT ms', 'worst p90 TPOT ms'], ...deps]),
    '',
    table([['$/month', 'reserved', 'on-demand', 'spot', 'API', 'total', '$/1M tokens', '$/1k requests'], ['', usd(m.byTier.reserved), usd(m.byTier.onDemand), usd(m.byTier.spot), usd(m.byTier.api), usd(m.total), m.perMillionTokens.toFixed(3), m.perThousandRequests.toFixed(3)]]),
    table([['GPU type', 'reserved', 'on-demand', 'spot'], ...m.byGpuType.map((g) => [g.gpuType, usd(g.reserved), usd(g.onDemand), usd(g.spot)])]),
  ].join('\n');
}

function replayText(r: ReplayReportOut): string {
  return [
    table([
      ['', 'SLO attainment', '$/month'],
      ['promised', pct(r.promised.sloAttainment), usd(r.promised.monthlyCost)],
      ['replayed', pct(r.sloAttainment), usd(r.monthlyCost)],
    ]),
    `${r.requests.toLocaleString('en-US')} requests: ${r.served.toLocaleString('en-US')} served, ${r.api} to API, ${r.overflowed} overflowed, ${r.dropped} dropped, ${r.restarted} restarted after spot interruptions; p90 TTFT ${ms(r.ttftP90Ms)} ms, p90 TPOT ${ms(r.tpotP90Ms)} ms`,
    `simulated in ${(r.ms / 1000).toFixed(2)} s (${Math.round(r.requestsPerS).toLocaleString('en-US')} requests/s)`,
  ].join('\n');
}

export const registerPlanningCommands: RegisterCommand = (program, env) => {
  program
    .command('plan')
    .description('a plan over time for a stored demand: instances per interval (static, autoscaled, or with API overflow), price tiers, $/month, promised SLO attainment')
    .option('--demand <id>', 'demand id (default: the most recent; see routeplan demand list)', num)
    .option('--interval <len>', 'planning interval: 1m … 1h … 1d (default 1h)')
    .option('--scale <x>', 'multiply the demand rate (e.g. 200 for a small public trace)', num)
    .option('--mode <m>', 'static | autoscale | overflow (default static)')
    .option('--percentile <p>', 'static/overflow: size for this percentile of intervals (default 0.95 static, 0.5 overflow; 1 = peak)', num)
    .option('--n-plus-one', 'static: one spare instance per hosted model')
    .option('--scale-up-delay <s>', 'autoscale: seconds before a new instance serves (default 180)', num)
    .option('--min-replicas <n>', 'autoscale: instances kept per hosted model (default 1)', num)
    .option('--scale-step <n>', 'autoscale: instances added or removed at a time (default 1)', num)
    .option('--overflow-model <name>', 'overflow: the API model that takes the overflow (default: the first API model)')
    .option('--objective <o>', 'quality (best quality, then the cheapest fleet keeping it; default) | cost (cheapest plan with --quality-floor)')
    .option('--quality-floor <q>', 'with --objective cost: the quality the plan must keep', num)
    .option('--budget-month <usd>', 'monthly budget the plan must stay within', num)
    .option('--slo-ttft-p90-ms <ms>', 'latency SLO: p90 time to first token (default 2000)', num)
    .option('--slo-tpot-p90-ms <ms>', 'latency SLO: p90 time per output token (default 100)', num)
    .option('--reserved <term>', 'reserved/committed baseline: 1y | 3y | none (default 1y)')
    .option('--spot-share <s>', 'largest share of an interval\'s GPUs on spot (default 0)', num)
    .option('--max-util <rho>', 'load per instance against its goodput (default 0.85)', num)
    .option('--burst-window <s>', 'size each interval for its busiest stretch of this many seconds (a trace\'s arrivals per second; default 60)', num)
    .option('--no-compare-cheapest', 'skip planning the cheapest routing for the same traffic (what the quality costs)')
    .option('--dataset <id>', 'dataset whose queries give the routing (default: the most recent)', num)
    .option('--predictor <id>', 'stored predictor for expected quality', num)
    .option('--engine <e>', 'vllm | trtllm (default vllm)')
    .option('--precision <p>', 'bf16 | fp16 | fp8 | int8 | int4 (default bf16)')
    .option('--out <file>', 'write the plan file (what routeplan replay --plan reads)')
    .action(function (this: Command) {
      return env.run(
        this,
        async (engine, ctx, opts) => {
          const slo = opts.sloTtftP90Ms != null || opts.sloTpotP90Ms != null ? { slo: { ttftP90Ms: opts.sloTtftP90Ms ?? 2000, tpotP90Ms: opts.sloTpotP90Ms ?? 100 } } : {};
          const res = await engine.call(
            'plan.create',
            {
              demandId: opts.demand,
              ...(opts.interval ? { intervalS: parseInterval(opts.interval) } : {}),
              scale: opts.scale,
              mode: modeOf(opts),
              ...(opts.objective ? { objective: opts.objective } : {}),
              qualityFloor: opts.qualityFloor,
              budgetMonth: opts.budgetMonth ?? null,
              ...slo,
              ...(opts.reserved || opts.spotShare != null ? { tiers: { reservedTerm: opts.reserved ?? '1y', maxSpotShare: opts.spotShare ?? 0, spotReplacementS: 300 } } : {}),
              ...(opts.maxUtil != null ? { maxUtilisation: opts.maxUtil } : {}),
              ...(opts.burstWindow != null ? { burstWindowS: opts.burstWindow } : {}),
              compareCheapest: opts.compareCheapest !== false,
              datasetId: opts.dataset,
              predictorId: opts.predictor,
              ...(opts.engine ? { engine: opts.engine } : {}),
              ...(opts.precision ? { precision: opts.precision } : {}),
            },
            ctx,
          );
          ctx.check();
          if (opts.out) writeOutFile(opts.out, `${JSON.stringify(res.plan, null, 1)}\n`);
          return res;
        },
        planText,
      );
    });

  program
    .command('replay')
    .description('replay a plan against a demand through the continuous-batching simulation: SLO attainment, overflow, drops and realised $ next to the promise')
    .requiredOption('--plan <file>', 'a plan file written by routeplan plan --out')
    .option('--demand <id>', 'demand whose arrivals are replayed (default: the most recent)', num)
    .option('--trace <file>', 'a trace file to replay: imported into the workspace as a demand first (or reused when already imported)')
    .option('--scale <x>', 'multiply the demand rate (use the plan\'s own scale)', num)
    .option('--hours <h>', 'replay only the first hours', num)
    .option('--seed <n>', 'routing and spot draws', num)
    .action(function (this: Command) {
      return env.run(
        this,
        async (engine, ctx, opts) => {
          const plan = readJson(opts.plan);
          let demandId = opts.demand as number | undefined;
          if (opts.trace) {
            try {
              demandId = (await engine.call('demand.import', { files: [opts.trace] }, ctx)).demandId;
            } catch (err) {
              const dup = (err as EngineError).details?.demandId as number | undefined;
              if ((err as EngineError).code !== 'CONFLICT' || dup == null) throw err;
              demandId = dup;
            }
          }
          return engine.call('plan.replay', { plan, demandId, scale: opts.scale, hours: opts.hours, ...(opts.seed != null ? { seed: opts.seed } : {}) }, ctx);
        },
        replayText,
      );
    });
};
