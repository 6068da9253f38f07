// `routeplan perf import` and `routeplan perf list`: users' own serving measurements. They hang
// under the `perf` command that performance.ts creates (or create it, whichever registers first).
import type { Command } from 'commander';
import type { DeploymentMeasurementsView, MeasurementImportResult } from '../../../shared/contract/performance-measurements';
import type { RegisterCommand } from '../env';
import { positiveOption as positive } from '../numbers';
import { table } from '../output';

const fmt = (x: number | undefined, d = 1) => (x === undefined ? null : x.toFixed(d));
const span = (r: { min: number; max: number } | null) => (r ? (r.min === r.max ? String(r.min) : `${r.min}–${r.max}`) : null);

function humanImport(rs: MeasurementImportResult[]): string {
  const rows = rs.map((r) => [r.fileName, r.layout, r.records, r.deployments.join('; '), r.flagged.length ? r.flagged.map((id) => `#${id}`).join(' ') : null]);
  return table([['file', 'layout', 'records', 'deployments', 'contradicting'], ...rows]);
}

function humanList(ds: DeploymentMeasurementsView[]): string {
  if (!ds.length) return 'no measurements: import some with `routeplan perf import FILE…`';
  const head = table([
    ['model', 'gpu', 'gpus', 'tp', 'precision', 'engine', 'catalog', 'points', 'shapes', 'concurrency', 'rate (req/s)', 'max-thr.', 'files', 'flagged'],
    ...ds.map((d) => [d.model, d.gpu, d.gpus, d.tp, d.precision, d.engine, d.catalog.model && d.catalog.gpu ? `${d.catalog.model} / ${d.catalog.gpu}` : 'not in the catalogs', d.points, d.shapes.length, span(d.concurrency), span(d.rate && { min: +d.rate.min.toFixed(2), max: +d.rate.max.toFixed(2) }), d.maxThroughputPoints, d.files.map((f) => f.fileName).join(', '), d.flags.length]),
  ]);
  const flags = ds.flatMap((d) => d.flags.flatMap((f) => f.flags.map((t) => `  #${f.id} ${t}`)));
  const points = ds.flatMap((d) =>
    d.measurements.map((m) => [`#${m.id}`, d.model, fmt(m.inputTokens, 0), fmt(m.outputTokens, 0), m.maxThroughput ? 'max' : m.concurrency !== undefined ? `c=${m.concurrency}` : `r=${fmt(m.rate, 2)}`, fmt(m.outputTokensPerS), fmt(m.ttftMs.p90 ?? m.ttftMs.mean), fmt(m.tpotMs.p90 ?? m.tpotMs.mean, 2), m.flags.length ? 'flagged' : null]),
  );
  return [head, '', table([['id', 'model', 'input', 'output', 'load', 'out tok/s', 'ttft ms (p90|mean)', 'tpot ms (p90|mean)', ''], ...points]), ...(flags.length ? ['', 'flags:', ...flags] : [])].join('\n');
}

export const registerPerfMeasurementCommands: RegisterCommand = (program, env) => {
  const perf = program.commands.find((c) => c.name() === 'perf') ?? program.command('perf').description('serving performance: estimates and your own measurements');

  perf
    .command('import')
    .description('import benchmark results as measurements of a deployment: vLLM bench serve JSON (object or JSON lines), GenAI-Perf / AIPerf profile_export JSON or CSV, or a plain CSV; all files in one transaction')
    .argument('<files...>', 'benchmark result files')
    .option('--model <name>', 'model, for files that do not name it')
    .option('--gpu <type>', 'GPU type, for files that do not name it')
    .option('--gpus <n>', 'GPUs per instance', positive('--gpus', true))
    .option('--tp <n>', 'tensor-parallel degree (default: --gpus)', positive('--tp', true))
    .option('--precision <p>', 'weight precision: bf16 | fp16 | fp8 | int8 | int4')
    .option('--engine <e>', 'serving engine: vllm | trtllm')
    .option('--concurrency <n>', 'load of a summary export that does not record it (GenAI-Perf / AIPerf CSV)', positive('--concurrency', false))
    .option('--rate <r>', 'request rate (req/s) of a summary export that does not record it', positive('--rate', false))
    .action(function (this: Command, files: string[]) {
      return env.run(
        this,
        (engine, ctx, o) => engine.call('performance.importMeasurements', { files, model: o.model, gpu: o.gpu, gpus: o.gpus, tp: o.tp, precision: o.precision, engine: o.engine, concurrency: o.concurrency, rate: o.rate }, ctx),
        humanImport,
      );
    });

  perf
    .command('list')
    .description('stored measurements per deployment: points, shapes, concurrency and rate range, provenance, flags')
    .action(function (this: Command) {
      return env.run(this, (engine) => engine.call('performance.listMeasurements', {}), humanList);
    });
};
