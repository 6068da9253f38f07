import { Option, type Command } from 'commander';
import { EngineError } from '../../../shared/errors';
import type { EvaluationResult } from '../../../shared/contract/routing';
import type { CliEnv } from '../env';
import { decimalOrNaN, flagNumber } from '../numbers';
import { table } from '../output';
import { memoryWorkspaceUnlessGiven } from './routing-workspace';

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
const numbers = (v: string | undefined, flag: string) =>
  list(v)?.map((s) => {
    const x = decimalOrNaN(s);
    if (!Number.isFinite(x)) throw new EngineError('INVALID_INPUT', `${flag}: "${s}" is not a number`, { field: flag });
    return x;
  });

function capacities(v: string | undefined): Record<string, number> | undefined {
  if (!v) return undefined;
  return Object.fromEntries(
    list(v)!.map((pair) => {
      const at = pair.lastIndexOf('=');
      const slots = decimalOrNaN(pair.slice(at + 1));
      if (at <= 0 || !Number.isInteger(slots)) throw new EngineError('INVALID_INPUT', `--capacity: expected model=slots, got "${pair}"`, { field: '--capacity' });
      return [pair.slice(0, at), slots];
    }),
  );
}

function frontierTable(r: EvaluationResult): string {
  const pct = (x: number | null) => (x == null ? null : (100 * x).toFixed(1) + '%');
  const pm = (m: number, s: number) => `${pct(m)} ±${(100 * s).toFixed(1)}`;
  const rows = [...r.rows].sort((a, b) => (a.budgetFraction ?? -1) - (b.budgetFraction ?? -1) || a.strategy.localeCompare(b.strategy));
  return [
    `best model ${r.bestModel}: accuracy ${pct(r.bestAccuracy)}, cost ${r.bestCost.toFixed(4)} USD on ${r.testQueries} test queries; ${r.settings.batching} batches of ${r.settings.batchSize}, seeds ${r.settings.seeds.join(',')}`,
    table([
      ['strategy', 'budget f', 'accuracy', 'vs best', 'cost fraction', 'within budget'],
      ...rows.map((x) => [x.strategy, x.budgetFraction, pm(x.accuracy, x.accuracyStd), pct(x.accuracyVsBest), pm(x.costFraction, x.costFractionStd), x.withinBudgetShare == null ? null : pm(x.withinBudgetShare, x.withinBudgetStd ?? 0)]),
    ]),
    r.id != null ? `stored as evaluation #${r.id}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function registerEvaluateCommand(program: Command, env: CliEnv): void {
  program
    .command('evaluate')
    .description('budget sweep of the routing strategies: with --predictor on stored data, or a quick look with --train FILES --test FILES')
    .option('--predictor <id>', 'stored predictor id (then --test is a dataset id)')
    .option('--train <files...>', 'training files for the quick look (the default predictor is fitted per seed)')
    .option('--test <items...>', 'test dataset id (with --predictor) or test files (with --train)')
    .option('--train-dataset <id>', 'dataset for estimated costs and the best model (default: the predictor\'s)')
    .option('--strategies <list>', 'comma-separated: threshold,ndch,ndch-p,mip,batch-mip,robust-quantile,robust-gamma,max-min,per-query (matched total spend),per-query-share (each query under its share of the batch budget)')
    .option('--budgets <list>', 'budget fractions of the best model\'s cost, e.g. 0.05,0.1,0.2,0.3,0.5,0.7,1')
    .option('--seeds <list>', 'seeds, e.g. 1,2,3,4,5')
    .option('--batch-size <n>', 'queries per batch', '100')
    .option('--batching <kind>', 'random | adversarial', 'random')
    .option('--capacity <list>', 'per-batch capacity of self-hosted models: model=slots,...')
    .option('--predictor-weight <w>', 'weight of the predictor\'s p against its task\'s training accuracy in decisions (1 = p alone; default 0.5)')
    .option('--budget-confidence <p>', 'also run each solver strategy so that every batch budget holds with probability p on realised cost (rows <name>-cc), e.g. 0.95')
    .option('--ensemble <n>', 'bootstrap members of the quick-look predictor (robust strategies need >= 2)', '5')
    .option('--feature-fraction <q>', 'each member of the quick-look predictor sees each feature column with probability q (1 = all)', '1')
    .option('--featurizer <kind>', 'features of the quick-look predictor: hybrid (n-grams + sentence encoder) | builtin (n-grams, as policies)', 'hybrid')
    .option('--no-singles', 'leave out the single-model and oracle rows')
    .addOption(new Option('--on-duplicate <what>', 'with --train/--test: a query/model pair labelled twice: refuse | first | mean | separate (as import)').choices(['refuse', 'first', 'mean', 'separate']).default('refuse'))
    .action(function (this: Command) {
      const opts = this.opts();
      if (!opts.predictor) {
        // The quick look keeps nothing unless a workspace is named.
        memoryWorkspaceUnlessGiven(this);
      }
      return env.run(
        this,
        async (engine, ctx, o) => {
          const settings = {
            ...(list(o.strategies) ? { strategies: list(o.strategies) } : {}),
            ...(numbers(o.budgets, '--budgets') ? { budgetFractions: numbers(o.budgets, '--budgets') } : {}),
            ...(numbers(o.seeds, '--seeds') ? { seeds: numbers(o.seeds, '--seeds') } : {}),
            batchSize: flagNumber('--batch-size', o.batchSize),
            batching: o.batching,
            ...(capacities(o.capacity) ? { capacity: capacities(o.capacity) } : {}),
            includeSingles: o.singles !== false,
            ...(o.predictorWeight !== undefined ? { predictorWeight: flagNumber('--predictor-weight', o.predictorWeight) } : {}),
            ...(o.budgetConfidence !== undefined ? { budgetConfidence: flagNumber('--budget-confidence', o.budgetConfidence) } : {}),
          };
          const test: string[] = o.test ?? [];
          if (!test.length) throw new EngineError('INVALID_INPUT', '--test is required', { field: '--test' });
          if (o.predictor) {
            return engine.call('evaluation.run', { predictorId: flagNumber('--predictor', o.predictor), testDatasetId: Number(test[0]), ...(o.trainDataset ? { trainDatasetId: flagNumber('--train-dataset', o.trainDataset) } : {}), settings }, ctx);
          }
          if (!o.train?.length) throw new EngineError('INVALID_INPUT', 'give --predictor and a test dataset id, or --train FILES and --test FILES', { field: '--train' });
          return engine.call('evaluation.quick', { trainFiles: o.train, testFiles: test, ensemble: flagNumber('--ensemble', o.ensemble), featureFraction: flagNumber('--feature-fraction', o.featureFraction), featurizer: o.featurizer, onDuplicate: o.onDuplicate, settings }, ctx);
        },
        frontierTable,
      );
    });
}
