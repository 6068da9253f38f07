// The evaluation protocol (formulations, "Evaluation protocol"): for each seed, cut the test set into
// batches (random or adversarial), give every batch the budget f · Σ estimated cost of the best
// training model, route with each strategy on estimated costs and on the predictor's p averaged with
// the per-task training accuracy, charge realised costs, and compare the per-query baseline at
// matched total spend. Rows are means over seeds with their spread.
import type { EvaluationSettings, FrontierRow } from '../../../shared/contract/routing';
import type { LabelMatrix } from '../data/matrix';
import { createRng, childSeed } from '../predictor/rng';
import { strategyByName, singleModel, oracle, perQueryAssignment, type RoutingContext, type Strategy } from '../routing/strategies';
import { estimatedCosts, realisedCosts, shrinkToTaskPrior, trainingStats } from './costs';
import { adversarialBatches, predictedDifficulty, randomBatches, takeRows } from './batching';
import { outcomeOf, summarise, type Outcome } from './outcome';
import { calibratedZ, fitCostDistribution, predictCostDistribution } from './cost-distribution';
import { normalQuantile, routeWithChance } from '../routing/strategies/chance';

/** The strategies that solve a budgeted problem, and so can hold it with a chosen probability. */
const CHANCE_STRATEGIES = new Set(['mip', 'batch-mip', 'robust-quantile', 'robust-gamma', 'max-min']);

export interface Predictions {
  p: Float64Array; // n*k calibrated probabilities on the test set
  lower?: Float64Array; // n*k ensemble 10% quantile
  /** Decision-ready probabilities that form the adversarial batches instead of p (a bench's counterfactual p keeps the batches). */
  batching?: Float64Array;
}

export interface EvaluationInput {
  train: LabelMatrix;
  test: LabelMatrix;
  /** Predictions for the test set from a predictor fitted (or opened) with this seed. */
  predict(seed: number): Promise<Predictions> | Predictions;
}

export interface EvaluationHooks {
  progress?(fraction: number, stage: string, at?: { seed: number; budgetFraction: number }): void;
  check?(): void;
}

export interface EvaluationCore {
  bestModel: string;
  bestAccuracy: number;
  bestCost: number;
  testQueries: number;
  rows: FrontierRow[];
}

export async function runEvaluation(input: EvaluationInput, settings: EvaluationSettings, hooks: EvaluationHooks = {}): Promise<EvaluationCore> {
  const { train, test } = input;
  const k = test.models.length;
  const n = test.texts.length;
  const stats = trainingStats(train);
  const est = estimatedCosts(stats, test);
  const real = realisedCosts(test, est);
  const capacity = test.models.map((m) => settings.capacity[m] ?? null);
  const best = stats.best;
  // With a budget confidence: each query's cost as a distribution (mean and variance), fitted on train.
  const dist = settings.budgetConfidence != null ? predictCostDistribution(fitCostDistribution(train), test) : null;
  const z = settings.budgetConfidence != null ? calibratedZ(train, settings.budgetConfidence, settings.batchSize, normalQuantile(settings.budgetConfidence)) : 0;
  const bestRun = outcomeOf(test.scores, real, k, new Int32Array(n).fill(best), null, []);
  const base = { accuracy: bestRun.accuracy, cost: bestRun.spend };
  const collected = new Map<string, { kind: FrontierRow['kind']; f: number | null; outcomes: Outcome[] }>();
  const add = (name: string, kind: FrontierRow['kind'], f: number | null, o: Outcome) => {
    const key = `${name}|${f}`;
    if (!collected.has(key)) collected.set(key, { kind, f, outcomes: [] });
    collected.get(key)!.outcomes.push(o);
  };
  const batchStrategies = settings.strategies.filter((s) => s !== 'per-query').map((s) => strategyByName(s));
  const units = settings.seeds.length * settings.budgetFractions.length;
  let done = 0;
  for (const seed of settings.seeds) {
    hooks.check?.();
    const raw = await input.predict(seed);
    const shrink = (q: Float64Array) => shrinkToTaskPrior(stats, test, q, settings.predictorWeight);
    const pred: Predictions = { p: shrink(raw.p), lower: raw.lower && shrink(raw.lower) };
    const difficultyOf = raw.batching ?? pred.p;
    const rng = createRng(childSeed(seed, 17));
    const batches = settings.batching === 'random' ? randomBatches(n, settings.batchSize, rng) : adversarialBatches(predictedDifficulty(difficultyOf, n, k), settings.batchSize);
    if (settings.includeSingles) {
      test.models.forEach((m, j) => add(`single:${m}`, 'single', null, outcomeOf(test.scores, real, k, new Int32Array(n).fill(j), null, [])));
      const ctx = batchContext(pred, est, capacity, Infinity, rng, stats, k, Int32Array.from({ length: n }, (_, i) => i), test);
      add('oracle', 'oracle', null, outcomeOf(test.scores, real, k, oracle.route(ctx), null, []));
    }
    for (const f of settings.budgetFractions) {
      hooks.check?.();
      const budgets = batches.map((rows) => rows.reduce((s, i) => s + f * est[i * k + best], 0));
      for (const strategy of batchStrategies) {
        // Robust strategies need the ensemble's lower quantile; a single-member predictor has none.
        if (strategy.name.startsWith('robust') && !pred.lower) continue;
        const timed = (route: () => Int32Array) => {
          const t0 = performance.now();
          const assign = route();
          return { ...outcomeOf(test.scores, real, k, assign, budgets, batches), msPerBatch: (performance.now() - t0) / batches.length };
        };
        add(strategy.name, 'strategy', f, timed(() => routeAll(strategy, batches, budgets, pred, est, capacity, rng, stats, k, n, test)));
        if (dist && CHANCE_STRATEGIES.has(strategy.name)) {
          add(`${strategy.name}-cc`, 'strategy', f, timed(() => routeAll(strategy, batches, budgets, pred, dist.mean, capacity, rng, stats, k, n, test, { variance: dist.variance, z })));
        }
      }
      if (settings.strategies.includes('per-query')) {
        // Matched total spend: the largest α whose estimated spend over the test set fits Σ budgets.
        const total = budgets.reduce((a, b) => a + b, 0);
        const all = batchContext(pred, est, capacity, Infinity, rng, stats, k, Int32Array.from({ length: n }, (_, i) => i), test);
        const assign = matchedPerQuery(all, total, stats.meanCost);
        add('per-query', 'per-query', f, outcomeOf(test.scores, real, k, assign, budgets, batches));
      }
      hooks.progress?.(++done / units, `seed ${seed}, f = ${f}`, { seed, budgetFraction: f });
    }
  }
  const rows: FrontierRow[] = [];
  for (const [key, v] of collected) rows.push(summarise(key.split('|')[0], v.kind, v.f, v.outcomes, base));
  return { bestModel: test.models[best], bestAccuracy: base.accuracy, bestCost: base.cost, testQueries: n, rows };
}

function batchContext(pred: Predictions, est: Float64Array, capacity: (number | null)[], budget: number, rng: RoutingContext['rng'], stats: RoutingContext['valStats'], k: number, rows: Int32Array, test: LabelMatrix): RoutingContext {
  const f64 = (len: number) => new Float64Array(len);
  return {
    n: rows.length,
    k,
    p: takeRows(pred.p, k, rows, f64),
    lower: pred.lower ? takeRows(pred.lower, k, rows, f64) : undefined,
    cost: takeRows(est, k, rows, f64),
    capacity,
    budget,
    valStats: stats,
    rng,
    truth: takeRows(test.scores, k, rows, (len) => new Float32Array(len)),
    realisedCost: takeRows(test.costs, k, rows, f64),
  };
}

function routeAll(strategy: Strategy, batches: Int32Array[], budgets: number[], pred: Predictions, est: Float64Array, capacity: (number | null)[], rng: RoutingContext['rng'], stats: RoutingContext['valStats'], k: number, n: number, test: LabelMatrix, chance?: { variance: Float64Array; z: number }): Int32Array {
  const out = new Int32Array(n);
  batches.forEach((rows, b) => {
    const ctx = batchContext(pred, est, capacity, budgets[b], rng, stats, k, rows, test);
    const a = chance ? routeWithChance(strategy, ctx, takeRows(chance.variance, k, rows, (len) => new Float64Array(len)), chance.z).assign : strategy.route(ctx);
    rows.forEach((i, r) => (out[i] = a[r]));
  });
  return out;
}

/** Per-query routing whose total estimated spend matches `total` (bisection on α). */
export function matchedPerQuery(ctx: RoutingContext, total: number, meanCost: Float64Array): Int32Array {
  const cScale = Math.max(...Array.from(meanCost).filter(Number.isFinite));
  const spend = (a: Int32Array) => a.reduce((s, j, i) => s + ctx.cost[i * ctx.k + j], 0);
  let lo = 0;
  let hi = 1;
  let best = perQueryAssignment(ctx, 0, cScale);
  const top = perQueryAssignment(ctx, 1 - 1e-12, cScale);
  if (spend(top) <= total) return top;
  for (let step = 0; step < 40; step++) {
    const mid = (lo + hi) / 2;
    const a = perQueryAssignment(ctx, mid, cScale);
    if (spend(a) <= total) (lo = mid), (best = a);
    else hi = mid;
  }
  return best;
}
