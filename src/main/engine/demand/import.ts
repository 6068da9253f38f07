import { basename, extname, resolve } from 'node:path';
import { EngineError, fileError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { openStaging } from '../store/staging';
import { inAsyncTransaction } from '../store/transaction';
import { commitStagedDemand, findDemandByHash, findDemandByName, freeDemandName, getDemand, insertDemand, minuteWriter, NO_LABEL, updateDemand, type DemandLabels } from '../store/demand';
import type { JobContext } from '../jobs/context';
import { faultPointAsync } from '../jobs/fault-point';
import { defaultDatasetName } from '../data/import';
import { contentHash, fileSize } from '../data/source';
import { resolveLayout, type DemandField, type DemandFormat } from './layouts';
import { openTraceTable } from './trace-table';
import { readTimestamp, readTokens, timestampKind, type TimestampKind } from './timestamps';
import { SORT_WINDOW_S, TraceBuilder } from './trace-builder';
import { minuteDispersion, peakToMean, tokenStats } from './stats';
import { MINUTE_S, type DemandImportResult, type ImportReport } from './types';
import { summaryOf } from './summary';
import type { ParquetDecoder } from '../data/parquet-records';

export interface DemandImportOptions {
  format?: DemandFormat | 'auto';
  name?: string;
  /** Field -> column name, for a generic file whose columns have other names. */
  map?: Partial<Record<DemandField, string>>;
  /** Unit of numeric timestamps (default: seconds, or epoch milliseconds by magnitude). */
  timeUnit?: 's' | 'ms';
  parquetDecoder?: ParquetDecoder;
  now?: Date;
}


const MAX_LABELS = 0xfffe; // NO_LABEL marks "none"

/**
 * Imports request traces as ONE demand, all or nothing: rows stream into a private staging
 * database in one transaction, minute by minute (TraceBuilder), and the workspace sees one copy
 * at the end. Several files are merged in time (each file's stem is the task of its rows when
 * the file names none). Memory: the minutes inside the sort window, not the file.
 */
export async function importDemand(db: Db, files: string[], opts: DemandImportOptions, ctx: JobContext): Promise<DemandImportResult> {
  const t0 = performance.now();
  if (files.length === 0) throw new EngineError('INVALID_INPUT', 'no files to import');
  const paths = files.map((f) => resolve(f));
  const sizes = paths.map(fileSize);
  const totalBytes = sizes.reduce((a, b) => a + b, 0) || 1;
  ctx.progress({ stage: 'hash', fraction: 0 });
  const hash = `demand:${await contentHash(paths)}`;
  const dup = findDemandByHash(db, hash);
  if (dup) throw new EngineError('CONFLICT', `already imported: demand "${dup.name}" (id ${dup.id}) has exactly this content; delete it first to import again`, { demandId: dup.id, name: dup.name });
  const name = opts.name ?? freeDemandName(db, defaultDatasetName(paths));
  if (findDemandByName(db, name)) throw new EngineError('CONFLICT', `a demand named "${name}" already exists; choose another name (--name) or delete it first`, { name });

  const staging = openStaging();
  try {
    const labels: DemandLabels = { models: [], tasks: [], tenants: [] };
    const dicts = { models: new Map<string, number>(), tasks: new Map<string, number>(), tenants: new Map<string, number>() };
    const formats = new Set<string>();
    const columns: Record<string, string> = {};
    let kind: TimestampKind | null = null;
    let rows = 0;
    let doneBytes = 0;
    const { stagedId, totals } = await inAsyncTransaction(staging.db, async () => {
      const stagedId = insertDemand(staging.db, { name, kind: 'trace', format: 'pending', source: paths.join('; '), contentHash: hash, startIso: null, spanS: 1, requests: 0, createdAt: (opts.now ?? new Date()).toISOString(), summary: {} as never, labels });
      let builder: TraceBuilder | null = null;
      const write = minuteWriter(staging.db, stagedId);
      for (let f = 0; f < paths.length; f++) {
        const file = paths[f];
        const table = await openTraceTable(file, ctx, (b) => ctx.progress({ stage: 'import', fraction: Math.min(1, (doneBytes + b) / totalBytes), metrics: { rows, bytes: doneBytes + b } }), opts.parquetDecoder);
        try {
          const layout = resolveLayout(file, table.header, opts.format ?? 'auto', opts.map);
          formats.add(layout.format);
          for (const [field, col] of Object.entries(layout.names)) columns[field] = col!;
          const fileTask = paths.length > 1 && layout.index.task < 0 ? basename(file, extname(file)) : null;
          builder ??= new TraceBuilder(write);
          const ix = layout.index;
          const col = (k: DemandField) => layout.names[k] ?? k;
          const label = (which: 'models' | 'tasks' | 'tenants', v: unknown, row: number, field: DemandField): number => {
            if (v === '' || v == null) return NO_LABEL;
            const key = String(v);
            let id = dicts[which].get(key);
            if (id === undefined) {
              if (labels[which].length >= MAX_LABELS) throw fileError(file, row, col(field), `more than ${MAX_LABELS} distinct ${field} values; a ${field} column names a few classes of traffic`);
              dicts[which].set(key, (id = labels[which].length));
              labels[which].push(key);
            }
            return id;
          };
          const fileTaskId = fileTask === null ? NO_LABEL : label('tasks', fileTask, 0, 'task');
          let fileRows = 0;
          for await (const r of table.records) {
            const v = r.fields;
            const rawT = v[ix.timestamp];
            if (kind === null) {
              kind = timestampKind(rawT, opts.timeUnit ?? layout.unit);
              if (kind === null) throw fileError(file, r.row, col('timestamp'), `"${String(rawT)}" is neither an ISO date-time nor a number of seconds or milliseconds`);
            }
            const t = readTimestamp(kind, rawT, file, r.row, col('timestamp'));
            const inp = readTokens(v[ix.input], file, r.row, col('input'));
            const out = readTokens(v[ix.output], file, r.row, col('output'));
            const model = ix.model >= 0 ? label('models', v[ix.model], r.row, 'model') : NO_LABEL;
            const task = ix.task >= 0 ? label('tasks', v[ix.task], r.row, 'task') : fileTaskId;
            const tenant = ix.tenant >= 0 ? label('tenants', v[ix.tenant], r.row, 'tenant') : NO_LABEL;
            builder.add(file, r.row, col('timestamp'), t, inp, out, model, task, tenant);
            rows++;
            if (++fileRows % 65536 === 0) ctx.check();
          }
          if (fileRows === 0) throw fileError(file, null, null, 'the file has no requests');
        } finally {
          table.close();
        }
        doneBytes += sizes[f];
      }
      await faultPointAsync('demand.staged', ctx.signal);
      ctx.check();
      ctx.progress({ stage: 'summarise', fraction: 1 });
      const totals = builder!.finish();
      const absolute = kind === 'iso' || kind === 'epoch-s' || kind === 'epoch-ms';
      const report: ImportReport = { timestamps: kind!, unsorted: totals.unsorted, duplicates: totals.duplicates, sortWindowS: SORT_WINDOW_S, columns };
      const spanS = totals.minuteCounts.length * MINUTE_S;
      const d = minuteDispersion(totals.minuteCounts);
      updateDemand(staging.db, stagedId, {
        startIso: absolute ? new Date(totals.originS * 1000).toISOString() : null,
        spanS,
        requests: totals.requests,
        labels,
        summary: {
          meanRate: totals.requests / spanS,
          peakToMean: peakToMean(totals.minuteCounts),
          burstiness: { interArrivalCv: totals.interArrivalCv, withinMinuteCv: totals.withinMinuteCv, ...d },
          inputTokens: tokenStats(totals.sumInput, totals.requests, totals.histInput),
          outputTokens: tokenStats(totals.sumOutput, totals.requests, totals.histOutput),
          report,
          lengths: { histInput: Array.from(totals.histInput), histOutput: Array.from(totals.histOutput), joint: Array.from(totals.joint) },
        },
      });
      staging.db.prepare('UPDATE demands SET format = ? WHERE id = ?').run([...formats].join('+'), stagedId);
      return { stagedId, totals };
    });
    ctx.check();
    ctx.progress({ stage: 'commit', fraction: 1 });
    const demandId = commitStagedDemand(db, staging, stagedId);
    const summary = summaryOf(getDemand(db, demandId));
    return { demandId, name, format: summary.format, files: paths, rows: totals.requests, report: summary.report!, summary, ms: Math.round(performance.now() - t0) };
  } finally {
    staging.dispose();
  }
}
