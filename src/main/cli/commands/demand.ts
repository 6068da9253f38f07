import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { DemandImportResult, DemandIntervalsJson, DemandSummary } from '../../../shared/contract/demand';
import { demandFields, demandImportFormats } from '../../../shared/demand-formats';
import { EngineError, fileError } from '../../../shared/errors';
import type { RegisterCommand } from '../env';
import { numberOption, numberValue } from '../numbers';
import { table } from '../output';

const f = (x: number | null | undefined, d = 2) => (x == null || !Number.isFinite(x) ? null : x.toFixed(d));
const int = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? null : Math.round(x).toLocaleString('en-US'));
const span = (s: number) => (s >= 86400 ? `${(s / 86400).toFixed(2)} d` : s >= 3600 ? `${(s / 3600).toFixed(2)} h` : `${(s / 60).toFixed(0)} min`);

function summaryText(d: DemandSummary): string {
  const b = d.burstiness;
  const lines = [
    `#${d.id} ${d.name}  (${d.kind}, ${d.format}; ${d.startIso ?? 'relative times'}; span ${span(d.spanS)})`,
    `requests ${int(d.requests)}, mean rate ${f(d.meanRate, 3)} req/s`,
    `peak/mean: 1 min ${f(d.peakToMean['60'])}, 5 min ${f(d.peakToMean['300'])}, 15 min ${f(d.peakToMean['900'])}, 1 h ${f(d.peakToMean['3600'])}`,
    `burstiness: inter-arrival CV ${f(b.interArrivalCv) ?? '—'}, within-minute CV ${f(b.withinMinuteCv) ?? '—'}, per-minute dispersion ${f(b.dispersion1m)}, minute-rate CV ${f(b.minuteRateCv, 3)} (lag-1 autocorrelation ${f(b.minuteRateAutocorr, 3)})`,
    table([
      ['tokens', 'mean', 'p50', 'p90', 'p99'],
      ['input', int(d.inputTokens.mean), int(d.inputTokens.p50), int(d.inputTokens.p90), int(d.inputTokens.p99)],
      ['output', int(d.outputTokens.mean), int(d.outputTokens.p50), int(d.outputTokens.p90), int(d.outputTokens.p99)],
    ]),
  ];
  if (d.models) lines.push(`models: ${d.models.join(', ')}`);
  if (d.tasks) lines.push(`tasks: ${d.tasks.join(', ')}`);
  if (d.report) lines.push(`timestamps read as ${d.report.timestamps}; ${d.report.unsorted} out of order (sorted), ${d.report.duplicates} duplicate timestamps (kept)`);
  return lines.join('\n');
}

const MAX_ROWS = 48;

function intervalsText(iv: DemandIntervalsJson): string {
  const rows = iv.rate.slice(0, MAX_ROWS).map((r, i) => [span(iv.startS[i]).replace(/^0 min$/, '0'), f(r, 3), int(iv.meanInput[i]), int(iv.p90Input[i]), int(iv.meanOutput[i]), int(iv.p90Output[i])]);
  const more = iv.rate.length > MAX_ROWS ? `\n(${iv.rate.length - MAX_ROWS} more intervals; --json gives all)` : '';
  return `per ${span(iv.intervalS)}${iv.scale !== 1 ? ` at scale x${iv.scale}` : ''}:\n` + table([['start', 'req/s', 'in mean', 'in p90', 'out mean', 'out p90'], ...rows]) + more;
}

/** "1m", "15m", "1h", "90s" or seconds. */
export function parseInterval(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|min|h)?$/i.exec(v.trim());
  if (!m) throw new EngineError('INVALID_INPUT', `--interval ${v}: give 1m, 5m, 15m, 1h (or seconds)`, { field: 'interval' });
  const unit = (m[2] ?? 's').toLowerCase();
  return Math.round(Number(m[1]) * (unit === 'h' ? 3600 : unit === 's' ? 1 : 60));
}

/** "8%" -> 0.08; a bare number is a fraction (0.08). */
export function parseGrowth(v: string): number {
  const m = /^(-?\d+(?:\.\d+)?)\s*(%)?$/.exec(v.trim());
  if (!m) throw new EngineError('INVALID_INPUT', `--growth ${v}: give a percentage per month such as 8%`, { field: 'growth' });
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
}

/** A shape file: 24 or 168 numbers, as a JSON array or separated by commas, spaces or new lines. */
function readShape(file: string): number[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new EngineError('NOT_FOUND', `cannot read ${file}`, { file });
  }
  const cells = text.trim().startsWith('[') ? (JSON.parse(text) as unknown[]) : text.split(/[\s,;]+/).filter(Boolean);
  return cells.map((c, i) => {
    const x = Number(c);
    if (!Number.isFinite(x) || x < 0) throw fileError(file, null, null, `weight ${i + 1} ("${String(c)}") is not a number >= 0`);
    return x;
  });
}

function parseMap(specs: string[] | undefined): Record<string, string> | undefined {
  if (!specs) return undefined;
  const out: Record<string, string> = {};
  for (const part of specs.flatMap((s) => s.split(','))) {
    const m = /^([a-z]+)=(.+)$/.exec(part.trim());
    if (!m || !(demandFields as readonly string[]).includes(m[1])) throw new EngineError('INVALID_INPUT', `--map ${part}: give FIELD=COLUMN with FIELD one of ${demandFields.join(', ')}`, { field: 'map' });
    out[m[1]] = m[2];
  }
  return out;
}


export const registerDemandCommands: RegisterCommand = (program, env) => {
  const demand = program.command('demand').description('request traces and typed demand profiles: import, show per-interval rates and token lengths, create profiles');

  demand
    .command('import')
    .description('import request traces as ONE demand, in one transaction: Azure LLM inference CSV, BurstGPT CSV, Mooncake JSONL, or a generic CSV/JSONL/Parquet with a timestamp and token counts')
    .argument('<files...>', 'trace files (several are merged in time; each file stem becomes the task of its rows)')
    .addOption(new Option('-f, --format <format>', 'trace layout (auto: from the columns)').choices(demandImportFormats).default('auto'))
    .option('-n, --name <name>', 'demand name (default: from the file names)')
    .option('--map <field=column...>', `generic layout: the column of a field (${demandFields.join(', ')}), e.g. --map timestamp=arrived,input=prompt_len`)
    .addOption(new Option('--time-unit <unit>', 'unit of numeric timestamps (default: seconds; epoch ms by magnitude)').choices(['s', 'ms']))
    .action(function (this: Command, files: string[]) {
      return env.run(
        this,
        (engine, ctx, opts) => engine.call('demand.import', { files, format: opts.format, name: opts.name, map: parseMap(opts.map), timeUnit: opts.timeUnit }, ctx),
        (r: DemandImportResult) => `imported ${int(r.rows)} requests as demand #${r.demandId} "${r.name}" (${r.format}, ${r.ms} ms)\n${summaryText(r.summary)}`,
      );
    });

  demand
    .command('show')
    .description('a demand (default: the most recent) and its per-interval arrival rates and token lengths')
    .argument('[id]', 'demand id')
    .option('--interval <length>', 'interval length: 1m, 5m, 15m, 1h', '1h')
    .option('--scale <x>', 'multiply the arrival rate (e.g. 200 for a fleet-sized load)', numberOption)
    .option('--from <hours>', 'show intervals from this many hours after the start', numberOption)
    .option('--hours <n>', 'show this many hours of intervals', numberOption)
    .action(function (this: Command, id: string | undefined) {
      return env.run(
        this,
        async (engine, _ctx, opts) => engine.call('demand.show', { id: id === undefined ? undefined : numberValue(id), intervalS: parseInterval(opts.interval), scale: opts.scale ?? 1, fromS: opts.from !== undefined ? opts.from * 3600 : undefined, toS: opts.hours !== undefined ? ((opts.from ?? 0) + opts.hours) * 3600 : undefined }),
        (r) => `${summaryText(r.summary)}\n\n${intervalsText(r.intervals)}`,
      );
    });

  demand
    .command('list')
    .description('the demands of the workspace')
    .action(function (this: Command) {
      return env.run(
        this,
        (engine) => engine.call('demand.list', {}),
        (list: DemandSummary[]) =>
          list.length === 0
            ? 'no demands; import a trace with `routeplan demand import FILE` or create one with `routeplan demand profile --daily-requests N`'
            : table([['id', 'name', 'kind', 'format', 'span', 'requests', 'req/s', 'peak/mean 1m', 'in mean', 'out mean'], ...list.map((d) => [d.id, d.name, d.kind, d.format, span(d.spanS), int(d.requests), f(d.meanRate, 3), f(d.peakToMean['60']), int(d.inputTokens.mean), int(d.outputTokens.mean)])]),
      );
    });

  demand
    .command('profile')
    .description('create a typed demand profile: an hourly 24x7 shape scaled to a daily volume, with monthly growth over a horizon')
    .requiredOption('--daily-requests <n>', 'requests on an average day of the first month', numberOption)
    .option('--shape <file>', '24 or 168 hourly weights (from Monday 00:00 UTC), JSON array or comma/space separated')
    .addOption(new Option('--shape-preset <name>', 'a built-in shape (diurnal is a typical shape, not fitted to data)').choices(['flat', 'diurnal']))
    .option('--growth <pct>', 'growth per month, compounding (e.g. 8%)', '0%')
    .option('--months <n>', 'horizon in months of 730 h (default 1)', numberOption)
    .option('--days <n>', 'horizon in days (instead of --months)', numberOption)
    .option('--lengths-from <id>', 'token lengths of a stored trace', numberOption)
    .option('--input-mean <n>', 'mean input tokens (with --input-p90)', numberOption)
    .option('--input-p90 <n>', '90th percentile of input tokens', numberOption)
    .option('--output-mean <n>', 'mean output tokens (with --output-p90)', numberOption)
    .option('--output-p90 <n>', '90th percentile of output tokens', numberOption)
    .option('--minute-cv <x>', 'CV of the per-minute rate multiplier (bursts; default 0)', numberOption)
    .option('--minute-autocorr <x>', 'lag-1 autocorrelation of the per-minute multiplier, 0 to 0.999 (how long bursts last; default 0)', numberOption)
    .option('--arrival-cv <x>', 'CV of inter-arrival gaps within a minute (1 = Poisson, the default)', numberOption)
    .option('--seed <n>', 'seed of the bursts and the synthesised requests', numberOption)
    .option('--start <iso>', 'start date-time (UTC); sets the hour of week the shape starts at')
    .option('-n, --name <name>', 'profile name')
    .action(function (this: Command) {
      return env.run(
        this,
        (engine, _ctx, o) => {
          const lengthFlags = [o.inputMean, o.inputP90, o.outputMean, o.outputP90];
          if (lengthFlags.some((x) => x !== undefined) && lengthFlags.some((x) => x === undefined)) throw new EngineError('INVALID_INPUT', 'give all four of --input-mean, --input-p90, --output-mean, --output-p90 (or none)', { field: 'lengths' });
          return engine.call('demand.profile', {
            name: o.name,
            dailyRequests: o.dailyRequests,
            shape: o.shape ? readShape(o.shape) : undefined,
            shapePreset: o.shapePreset,
            growthPerMonth: parseGrowth(o.growth),
            months: o.months,
            days: o.days,
            lengthsFrom: o.lengthsFrom,
            lengths: o.inputMean !== undefined ? { input: { mean: o.inputMean, p90: o.inputP90 }, output: { mean: o.outputMean, p90: o.outputP90 } } : undefined,
            burstiness: o.minuteCv !== undefined || o.arrivalCv !== undefined || o.minuteAutocorr !== undefined ? { minuteRateCv: o.minuteCv ?? 0, minuteRateAutocorr: o.minuteAutocorr ?? 0, arrivalCv: o.arrivalCv ?? 1 } : undefined,
            seed: o.seed,
            startIso: o.start,
          });
        },
        summaryText,
      );
    });

  demand
    .command('delete')
    .description('delete a demand')
    .argument('<id>', 'demand id')
    .action(function (this: Command, id: string) {
      return env.run(this, async (engine) => engine.call('demand.delete', { id: numberValue(id) }), () => `deleted demand #${id}`);
    });
};
