import { Option } from 'commander';
import type { DatasetSummary, ImportResult } from '../../../shared/contract';
import type { RegisterCommand } from '../env';
import { numberValue } from '../numbers';
import { table } from '../output';
import { EngineError } from '../../../shared/errors';
import { importFormatNames } from '../../../shared/import-formats';

const pct = (v: number | null) => (v == null ? null : (100 * v).toFixed(1) + '%');
const usd = (v: number | null) => (v == null ? null : v < 0.01 ? v.toExponential(2) : v.toFixed(4));

function importTable(r: ImportResult): string {
  const all = [r, ...(r.others ?? [])];
  const dup = r.duplicates;
  return (
    table([
      ['kind', 'name / file', 'format', 'rows', 'queries', 'models', 'labels', 'missing', 'ms'],
      ...all.map((x) => [x.kind, x.datasetName ?? x.file, x.format, x.rows, x.queries ?? null, x.models ?? null, x.labels ?? null, x.missingLabels ?? null, x.ms]),
    ]) + (dup ? `\nrepeated query/model pairs: ${dup.pairs} (${{ first: 'kept the first label of each', mean: 'merged into their mean', separate: 'kept as separate queries' }[dup.policy]})` : '')
  );
}

function datasetsTable(list: DatasetSummary[]): string {
  if (list.length === 0) return 'no datasets; import one with `routeplan import FILE` or create the demo with `routeplan demo`';
  return list
    .map((d) =>
      [
        `#${d.id} ${d.name}  (${d.queries} queries, ${d.models.length} models, ${d.format})`,
        table([['model', 'accuracy', 'labelled', 'mean cost USD'], ...d.models.map((m) => [m.model, pct(m.accuracy), m.labelled, usd(m.meanCost)])]),
      ].join('\n'),
    )
    .join('\n\n');
}

export const registerDataCommands: RegisterCommand = (program, env) => {
  program
    .command('import')
    .description('import datasets (RouterBench wide CSV, long CSV, JSON, pairwise preferences, Parquet of any of these), model catalogs and GPU inventories; all dataset files of one call form ONE dataset, in one transaction')
    .argument('<files...>', 'files to import')
    .addOption(new Option('-f, --format <format>', 'file layout (auto: from the extension and header)').choices(importFormatNames).default('auto'))
    .option('-n, --name <name>', 'dataset name (default: from the file names)')
    .option('--task <task>', 'task of queries whose rows name none')
    .option('--if-exists <what>', 'the same dataset content imported before: refuse | reuse', 'refuse')
    .addOption(new Option('--on-duplicate <what>', 'a query/model pair labelled twice: refuse | first (keep the first label) | mean (their mean, count kept) | separate (each occurrence its own query)').choices(['refuse', 'first', 'mean', 'separate']).default('refuse'))
    .addOption(new Option('--inventory <how>', 'a GPU inventory file: merge (add or update its GPU types, keep the others) | replace (the stored inventory becomes the file)').choices(['merge', 'replace']).default('merge'))
    .action(function (this: any, files: string[]) {
      return env.run(this, (engine, ctx, opts) => engine.call('data.import', { files, format: opts.format, name: opts.name, task: opts.task, ifExists: opts.ifExists, onDuplicate: opts.onDuplicate, inventory: opts.inventory }, ctx), importTable);
    });

  program
    .command('datasets')
    .description('list datasets with query counts, per-model accuracy and mean cost')
    .option('--delete <id>', 'delete a dataset and everything derived from it')
    .action(function (this: any) {
      return env.run(
        this,
        async (engine, _ctx, opts) => {
          if (opts.delete !== undefined) await engine.call('datasets.delete', { id: numberValue(opts.delete) });
          return engine.call('datasets.list', {});
        },
        datasetsTable,
      );
    });

  program
    .command('inventory')
    .description('list the GPU inventory, or edit it: --set TYPE=COUNT[:HOURLY_PRICE[:MEMORY_GB]] (a new type needs all three)')
    .option('--set <edit...>', 'e.g. --set H100-80GB=40 --set B200=8:6.5:192')
    .action(function (this: any) {
      return env.run(
        this,
        async (engine, _ctx, opts) => {
          if (opts.set) await engine.call('inventory.update', { entries: (opts.set as string[]).map(parseInventoryEdit) });
          return engine.call('inventory.list', {});
        },
        (rows) => table([['GPU type', 'count', '$/GPU-hour', 'memory GB'], ...rows.map((g) => [g.gpuType, g.count, g.hourlyPrice.toFixed(2), g.memoryGb])]),
      );
    });

  program
    .command('demo')
    .description('create the deterministic demo workspace: a synthetic 16-model dataset, a model catalog with GPU profiles and a GPU inventory')
    .option('--seed <n>', 'random seed', '7')
    .option('--queries <n>', 'number of queries', '5000')
    .action(function (this: any) {
      return env.run(
        this,
        (engine, ctx, opts) => engine.call('demo.create', { seed: numberValue(String(opts.seed)), queries: numberValue(String(opts.queries)) }, ctx),
        (r) => `demo dataset #${r.datasetId}: ${r.queries} queries x ${r.models} models, catalog and GPU inventory (${r.ms} ms)`,
      );
    });
};

/** "TYPE=COUNT[:PRICE[:MEMORY]]" -> an inventory edit; numbers in the importers' decimal grammar, their bounds checked by the engine's schema (shared/bounds.ts). */
function parseInventoryEdit(edit: string): { gpuType: string; count?: number; hourlyPrice?: number; memoryGb?: number } {
  const m = /^([^=]+)=([^:]*)(?::([^:]*))?(?::([^:]*))?$/.exec(edit);
  if (!m) throw new EngineError('INVALID_INPUT', `--set ${edit}: expected TYPE=COUNT[:HOURLY_PRICE[:MEMORY_GB]]`, { option: 'set', value: edit });
  const num = (v: string | undefined) => {
    if (v === undefined || v === '') return undefined;
    try {
      return numberValue(v);
    } catch {
      throw new EngineError('INVALID_INPUT', `--set ${edit}: not a decimal number: ${v}`, { option: 'set', value: edit });
    }
  };
  return { gpuType: m[1].trim(), count: num(m[2]), hourlyPrice: num(m[3]), memoryGb: num(m[4]) };
}
