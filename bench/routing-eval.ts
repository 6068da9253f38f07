// The routing evaluation part of `npm run bench routing`: RouterBench train -> test, 5 seeds,
// batches of 100, random and adversarial batching, f in {0.1, 0.2, 0.3, 0.5}: accuracy against
// gpt-4-1106-preview, the share of batches within their own budget on realised cost, and the time
// to route one batch, for the MIP, the chance-constrained MIP (budget held with probability 0.95),
// the robust variants (and theirs under the chance constraint), and both per-query baselines (each
// query under its share of the batch budget: the paper's; the whole test set at the batch
// strategies' total spend: ours). The predictor is the evaluate command's quick look (hybrid
// features, ROUTEPLAN_BENCH_ENSEMBLE members, default 5, on feature views of ROUTEPLAN_BENCH_FEATURE_FRACTION
// of the columns, default 1: all), fitted once per seed and shared by both
// batchings. Timings are per batch, in the same run.
import { HybridFeaturizer } from '../src/main/engine/features/hybrid';
import { memoisedEncode, SentenceEncoderFeaturizer } from '../src/main/engine/features/sentence-encoder';
import { runEvaluation, type Predictions } from '../src/main/engine/evaluation/protocol';
import { shrinkToTaskPrior, trainingStats } from '../src/main/engine/evaluation/costs';
import type { LabelMatrix } from '../src/main/engine/data/matrix';
import type { Featurizer } from '../src/main/engine/features/types';
import { fitDefaultPredictor, type FitPredictorOptions } from '../src/main/engine/predictor/api';
import { EvaluationSettings, type FrontierRow } from '../src/shared/contract/routing';
import { table } from '../src/main/cli/output';
import { createRng } from '../src/main/engine/predictor/rng';
import { readRouterbench, testFiles, trainFiles } from '../tests/helpers/routerbench';

const F = [0.1, 0.2, 0.3, 0.5];
const CONFORMAL_C = [0.5, 1, 2, 4];
const STRATEGIES = ['mip', 'robust-quantile', 'robust-gamma', 'max-min', 'per-query', 'per-query-share'] as const;

export async function runEvaluationTables(): Promise<void> {
  const ensemble = Number(process.env.ROUTEPLAN_BENCH_ENSEMBLE ?? 5);
  const featureFraction = Number(process.env.ROUTEPLAN_BENCH_FEATURE_FRACTION ?? 1);
  const train = readRouterbench(trainFiles);
  const test = readRouterbench(testFiles);
  const encoder = SentenceEncoderFeaturizer.open({ encode: memoisedEncode() });
  const t0 = performance.now();
  const featurizer = HybridFeaturizer.fit(train.texts, encoder);
  const { cache, predict } = cachedPredictions(train, test, { ensemble, featurizer, featureFraction });
  for (const batching of ['random', 'adversarial'] as const) {
    const settings = EvaluationSettings.parse({ strategies: [...STRATEGIES], budgetFractions: F, batching, includeSingles: false, budgetConfidence: 0.95 });
    const r = await runEvaluation({ train, test, predict }, settings);
    const order = ['mip', 'mip-cc', 'robust-quantile', 'robust-quantile-cc', 'robust-gamma', 'robust-gamma-cc', 'max-min', 'max-min-cc', 'per-query', 'per-query-share'];
    const rows = r.rows.filter((x) => x.budgetFraction != null).sort((a, b) => order.indexOf(a.strategy) - order.indexOf(b.strategy) || a.budgetFraction! - b.budgetFraction!);
    const pm = (m: number, s: number) => `${(100 * m).toFixed(1)} ±${(100 * s).toFixed(1)}`;
    const cell = (x: FrontierRow) => `${pm(x.accuracyVsBest, x.accuracyStd / r.bestAccuracy)} | ${x.withinBudgetShare == null ? '—' : `${(100 * x.withinBudgetShare).toFixed(0)}%`} | ${x.msPerBatch == null ? '—' : x.msPerBatch.toFixed(1)}`;
    const byStrategy = new Map<string, FrontierRow[]>();
    for (const x of rows) byStrategy.set(x.strategy, [...(byStrategy.get(x.strategy) ?? []), x]);
    console.log(`\n${batching} batching, ${settings.seeds.length} seeds, batches of ${settings.batchSize}; ${test.models[0] ? r.bestModel : ''} accuracy ${(100 * r.bestAccuracy).toFixed(1)}%; cells: accuracy vs ${r.bestModel} (%, ±sd over seeds) | batches within their realised budget | ms per batch`);
    console.log(table([['strategy', ...F.map((f) => `f = ${f}`)], ...[...byStrategy].map(([name, xs]) => [name, ...F.map((f) => { const x = xs.find((y) => y.budgetFraction === f); return x ? cell(x) : '—'; })])]));
  }
  // Why robust routing can or cannot pay here: is the ensemble's spread where the errors are?
  const k = test.models.length;
  const diag = [...cache.entries()].map(([seed, pr]) => {
    const spread: number[] = [];
    const err: number[] = [];
    for (let t = 0; t < pr.p.length; t++) {
      const y = test.scores[t];
      if (Number.isNaN(y) || !pr.lower) continue;
      spread.push(pr.p[t] - pr.lower[t]);
      err.push(Math.abs(y - pr.p[t]));
    }
    // Calibration by spread: mean signed error y - p in the narrowest and widest fifth of spreads.
    const signed: [number, number][] = [];
    for (let t = 0; t < pr.p.length; t++) if (!Number.isNaN(test.scores[t]) && pr.lower) signed.push([pr.p[t] - pr.lower[t], test.scores[t] - pr.p[t]]);
    signed.sort((a, b) => a[0] - b[0]);
    const fifth = (q: number) => {
      const part = signed.slice(Math.floor((q * signed.length) / 5), Math.floor(((q + 1) * signed.length) / 5));
      return part.reduce((a, x) => a + x[1], 0) / Math.max(1, part.length);
    };
    return { seed, meanSpread: spread.reduce((a, b) => a + b, 0) / Math.max(1, spread.length), corr: pearson(spread, err), withinTaskAuc: withinTaskAuc(pr.p, test.scores, test.tasks, k), narrow: fifth(0), wide: fifth(4) };
  });
  console.log('\nensemble spread (p - 10% quantile) against the realised error |y - p|, per seed:');
  console.log(table([['seed', 'mean spread', 'corr(spread, |y - p|)', 'mean y - p, narrowest fifth', 'mean y - p, widest fifth', 'AUC of p within tasks'], ...diag.map((d) => [d.seed, d.meanSpread.toFixed(4), d.corr.toFixed(3), d.narrow.toFixed(3), d.wide.toFixed(3), d.withinTaskAuc.toFixed(3)])]));
  // A ceiling for what a robust objective can do: the MIP on p recalibrated on the test labels
  // themselves (per task and model, deciles of p replaced by their realised accuracy), and on (p,
  // spread) recalibrated the same way (each decile split at its median spread). Both use the
  // answers in-sample, so finer cells gain by overfitting alone: the control splits each decile
  // at random instead, and what the spread adds is its column minus the control's.
  const stats = trainingStats(train);
  const ceilingRows: (string | number)[][] = [['batching', 'f', 'MIP on p', 'p recalibrated on test labels', '(p, spread) recalibrated', '(p, random split) recalibrated (control)', 'spread minus control']];
  for (const batching of ['random', 'adversarial'] as const) {
    const settings = EvaluationSettings.parse({ strategies: ['mip'], budgetFractions: [0.2, 0.5], batching, includeSingles: false });
    const nominal = await runEvaluation({ train, test, predict }, settings);
    const recalibrated = (split: 'none' | 'spread' | 'random') =>
      runEvaluation(
        {
          train,
          test,
          predict: async (seed) => {
            const pr = await predict(seed);
            const decided = shrinkToTaskPrior(stats, test, pr.p, settings.predictorWeight);
            const spread = split === 'spread' && pr.lower ? pr.p.map((x, t) => x - pr.lower![t]) : split === 'random' ? randomKeys(pr.p.length, seed) : undefined;
            return { p: recalibratedOnTest(decided, test, spread), batching: decided };
          },
        },
        { ...settings, predictorWeight: 1 },
      );
    const ceiling = await recalibrated('none');
    const ceilingSpread = await recalibrated('spread');
    const ceilingRandom = await recalibrated('random');
    for (const f of [0.2, 0.5]) {
      const at = (r: typeof nominal) => r.rows.find((x) => x.budgetFraction === f)!.accuracyVsBest;
      const [a, b, c, d] = [at(nominal), at(ceiling), at(ceilingSpread), at(ceilingRandom)];
      const pts = (x: number) => `${(100 * x).toFixed(1)}`;
      ceilingRows.push([batching, f, pts(a), pts(b), pts(c), pts(d), pts(c - d)]);
    }
  }
  console.log('\nthe room a robust objective could work in (same batches, same budgets; % of the best model):');
  console.log(table(ceilingRows));
  // Every normalised (locally adaptive) conformal lower bound with the spread as its difficulty
  // is p - c x spread for some c (c = the calibration quantile of (p - y) / spread); sweeping c
  // covers them all. An unnormalised one, p - c, leaves the MIP's decisions as they are (each
  // query takes one model, so the objective moves by n c).
  const conformalRows: (string | number)[][] = [['batching', 'f', 'MIP', ...CONFORMAL_C.map((c) => `robust on p - ${c} x spread`), 'best - MIP']];
  for (const batching of ['random', 'adversarial'] as const) {
    const settings = EvaluationSettings.parse({ strategies: ['mip', 'robust-quantile'], budgetFractions: [0.2, 0.5], batching, includeSingles: false });
    const runs = await Promise.all(
      CONFORMAL_C.map((c) =>
        runEvaluation({ train, test, predict: async (seed) => { const pr = await predict(seed); return { p: pr.p, lower: pr.lower && pr.p.map((x, t) => x - c * (x - pr.lower![t])) }; } }, settings),
      ),
    );
    for (const f of [0.2, 0.5]) {
      const at = (r: (typeof runs)[number], strategy: string) => r.rows.find((x) => x.strategy === strategy && x.budgetFraction === f)!.accuracyVsBest;
      const mip = at(runs[0], 'mip');
      const robust = runs.map((r) => at(r, 'robust-quantile'));
      conformalRows.push([batching, f, (100 * mip).toFixed(2), ...robust.map((x) => (100 * x).toFixed(2)), `${(100 * (Math.max(...robust) - mip)).toFixed(2)} points`]);
    }
  }
  console.log('\nconformal lower bounds p - c x spread (spread = p - the 10% quantile), robust-quantile on each; % of the best model:');
  console.log(table(conformalRows));
  if (process.env.ROUTEPLAN_BENCH_PAPER_KNN) await paperEstimatorTable(train, test, featurizer);
  console.log(`predictor: hybrid features, ${ensemble} bootstrap members per seed${featureFraction < 1 ? `, each on a random feature view (columns kept with probability ${featureFraction})` : ''} (the evaluate command's quick look); -cc = the budget must hold with probability 0.95 under the per-query cost distribution (evaluation/cost-distribution.ts); per-query = our matched-total-spend rule; per-query-share = each query alone under budget / batch size. ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
}

/**
 * The seed paper's setting where robustness paid most: a kNN estimator (k = 40) in a 10-member
 * bootstrap ensemble, whose 10% quantile the robust MIP decides on. Shown with the task-prior blend
 * (the evaluate default, w = 0.5) and without it (w = 1: the ensemble's probabilities alone, as in
 * the paper). ROUTEPLAN_BENCH_PAPER_KNN=1 turns it on (~7 min per weight on 2 cores).
 */
async function paperEstimatorTable(train: LabelMatrix, test: LabelMatrix, featurizer: Featurizer): Promise<void> {
  const { predict } = cachedPredictions(train, test, { ensemble: 10, featurizer, estimator: { kind: 'knn', k: 40 } });
  const rows: (string | number)[][] = [['batching', 'prior weight', 'f', 'MIP', 'robust-quantile', 'robust-gamma', 'max-min', 'best robust - MIP']];
  for (const predictorWeight of [0.5, 1]) {
    for (const batching of ['adversarial', 'random'] as const) {
      const settings = EvaluationSettings.parse({ strategies: ['mip', 'robust-quantile', 'robust-gamma', 'max-min'], budgetFractions: [0.2, 0.5], batching, includeSingles: false, predictorWeight });
      const r = await runEvaluation({ train, test, predict }, settings);
      for (const f of [0.2, 0.5]) {
        const at = (s: string) => r.rows.find((x) => x.strategy === s && x.budgetFraction === f)!;
        const pm = (x: FrontierRow) => `${(100 * x.accuracyVsBest).toFixed(2)} ±${((100 * x.accuracyStd) / r.bestAccuracy).toFixed(2)}`;
        const best = Math.max(...['robust-quantile', 'robust-gamma', 'max-min'].map((s) => at(s).accuracyVsBest));
        rows.push([batching, predictorWeight, f, pm(at('mip')), pm(at('robust-quantile')), pm(at('robust-gamma')), pm(at('max-min')), `${(100 * (best - at('mip').accuracyVsBest)).toFixed(2)} points`]);
      }
    }
  }
  console.log('\nthe paper\'s estimator (kNN, k = 40, 10 bootstrap members, hybrid features), 5 seeds, batches of 100: % of the best model\'s accuracy');
  console.log(table(rows));
}

/** Test-set predictions of the default predictor fitted on `train` with these options, once per seed. */
function cachedPredictions(train: LabelMatrix, test: LabelMatrix, opts: Omit<FitPredictorOptions, 'seed'>) {
  const cache = new Map<number, Predictions>();
  const predict = async (seed: number): Promise<Predictions> => {
    if (!cache.has(seed)) {
      const m = await (await fitDefaultPredictor(train, { ...opts, seed })).predict(test.texts);
      cache.set(seed, { p: Float64Array.from(m.p), lower: m.lower ? Float64Array.from(m.lower) : undefined });
    }
    return cache.get(seed)!;
  };
  return { cache, predict };
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) (sab += (a[i] - ma) * (b[i] - mb)), (saa += (a[i] - ma) ** 2), (sbb += (b[i] - mb) ** 2);
  return sab / Math.sqrt(saa * sbb || 1);
}

/** Mean over (task, model) of the AUC of p against the outcome among that task's queries. */
function withinTaskAuc(p: Float64Array, y: Float32Array, tasks: (string | null)[], k: number): number {
  const aucs: number[] = [];
  for (const task of new Set(tasks)) {
    for (let j = 0; j < k; j++) {
      const pos: number[] = [];
      const neg: number[] = [];
      tasks.forEach((t, i) => {
        if (t !== task || Number.isNaN(y[i * k + j])) return;
        (y[i * k + j] >= 0.5 ? pos : neg).push(p[i * k + j]);
      });
      if (!pos.length || !neg.length) continue;
      let wins = 0;
      for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
      aucs.push(wins / (pos.length * neg.length));
    }
  }
  return aucs.reduce((s, x) => s + x, 0) / Math.max(1, aucs.length);
}

/**
 * Per task and model, deciles of p replaced by the realised accuracy of their queries (in-sample);
 * with `spread`, each decile is split again at its median spread, so the map may use both.
 */
function recalibratedOnTest(p: Float64Array, test: LabelMatrix, spread?: Float64Array): Float64Array {
  const k = test.models.length;
  const out = Float64Array.from(p);
  for (const task of new Set(test.tasks)) {
    const rows = [...test.tasks.keys()].filter((i) => test.tasks[i] === task);
    for (let j = 0; j < k; j++) {
      const sorted = rows.filter((i) => !Number.isNaN(test.scores[i * k + j])).sort((a, b) => p[a * k + j] - p[b * k + j]);
      for (let d = 0; d < 10; d++) {
        const part = sorted.slice(Math.floor((d * sorted.length) / 10), Math.floor(((d + 1) * sorted.length) / 10));
        const cells = spread ? halvesBy(part, (i) => spread[i * k + j]) : [part];
        for (const cell of cells) {
          if (!cell.length) continue;
          const acc = cell.reduce((s, i) => s + test.scores[i * k + j], 0) / cell.length;
          for (const i of cell) out[i * k + j] = acc;
        }
      }
    }
  }
  return out;
}

function halvesBy(rows: number[], key: (i: number) => number): number[][] {
  const sorted = [...rows].sort((a, b) => key(a) - key(b));
  const mid = Math.floor(sorted.length / 2);
  return [sorted.slice(0, mid), sorted.slice(mid)];
}

/** Uniform keys from a small seeded generator (the control split). */
function randomKeys(n: number, seed: number): Float64Array {
  const rng = createRng(seed + 7919);
  return Float64Array.from({ length: n }, () => rng.next());
}
