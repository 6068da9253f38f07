// The routing evaluation part of `npm run bench routing`: RouterBench train -> test, 5 seeds,
// batches of 100, random and adversarial batching, f in {0.1, 0.2, 0.3, 0.5}: accuracy against
// gpt-4-1106-preview, the share of batches within their own budget on realised cost, and the time
// to route one batch, for the MIP, the chance-constrained MIP (budget held with probability 0.95),
// the robust variants (and theirs under the chance constraint), and both per-query baselines (each
// query under its share of the batch budget: the paper's; the whole test set at the batch
// strategies' total spend: ours). The predictor is the evaluate command's quick look (hybrid
// features, ROUTEPLAN_BENCH_ENSEMBLE members, default 5), fitted once per seed and shared by both
// batchings. Timings are per batch, in the same run.
import { HybridFeaturizer } from '../src/main/engine/features/hybrid';
import { memoisedEncode, SentenceEncoderFeaturizer } from '../src/main/engine/features/sentence-encoder';
import { runEvaluation, type Predictions } from '../src/main/engine/evaluation/protocol';
import { shrinkToTaskPrior, trainingStats } from '../src/main/engine/evaluation/costs';
import type { LabelMatrix } from '../src/main/engine/data/matrix';
import { fitDefaultPredictor } from '../src/main/engine/predictor/api';
import { EvaluationSettings, type FrontierRow } from '../src/shared/contract/routing';
import { table } from '../src/main/cli/output';
import { readRouterbench, testFiles, trainFiles } from '../tests/helpers/routerbench';

const F = [0.1, 0.2, 0.3, 0.5];
const STRATEGIES = ['mip', 'robust-quantile', 'robust-gamma', 'max-min', 'per-query', 'per-query-share'] as const;

export async function runEvaluationTables(): Promise<void> {
  const ensemble = Number(process.env.ROUTEPLAN_BENCH_ENSEMBLE ?? 5);
  const train = readRouterbench(trainFiles);
  const test = readRouterbench(testFiles);
  const encoder = SentenceEncoderFeaturizer.open({ encode: memoisedEncode() });
  const t0 = performance.now();
  const featurizer = HybridFeaturizer.fit(train.texts, encoder);
  const cache = new Map<number, Predictions>();
  const predict = async (seed: number): Promise<Predictions> => {
    if (!cache.has(seed)) {
      const m = await (await fitDefaultPredictor(train, { seed, ensemble, featurizer })).predict(test.texts);
      cache.set(seed, { p: Float64Array.from(m.p), lower: m.lower ? Float64Array.from(m.lower) : undefined });
    }
    return cache.get(seed)!;
  };
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
  // A ceiling for anything a robust objective can do with p: the MIP on p recalibrated on the test
  // labels themselves (per task and model, deciles of p replaced by their realised accuracy). It
  // uses the answers, so no decision rule on (p, spread) can beat it by design.
  const stats = trainingStats(train);
  const ceilingRows: (string | number)[][] = [['batching', 'f', 'MIP on p', 'MIP on p recalibrated on the test labels', 'room']];
  for (const batching of ['random', 'adversarial'] as const) {
    const settings = EvaluationSettings.parse({ strategies: ['mip'], budgetFractions: [0.2, 0.5], batching, includeSingles: false });
    const nominal = await runEvaluation({ train, test, predict }, settings);
    const ceiling = await runEvaluation(
      {
        train,
        test,
        predict: async (seed) => {
          const decided = shrinkToTaskPrior(stats, test, (await predict(seed)).p, settings.predictorWeight);
          return { p: recalibratedOnTest(decided, test), batching: decided };
        },
      },
      { ...settings, predictorWeight: 1 },
    );
    for (const f of [0.2, 0.5]) {
      const a = nominal.rows.find((x) => x.budgetFraction === f)!;
      const b = ceiling.rows.find((x) => x.budgetFraction === f)!;
      ceilingRows.push([batching, f, (100 * a.accuracyVsBest).toFixed(1), (100 * b.accuracyVsBest).toFixed(1), `${(100 * (b.accuracyVsBest - a.accuracyVsBest)).toFixed(1)} points`]);
    }
  }
  console.log('\nthe room a robust objective could work in (same batches, same budgets):');
  console.log(table(ceilingRows));
  console.log(`predictor: hybrid features, ${ensemble} bootstrap members per seed (the evaluate command's quick look); -cc = the budget must hold with probability 0.95 under the per-query cost distribution (evaluation/cost-distribution.ts); per-query = our matched-total-spend rule; per-query-share = each query alone under budget / batch size. ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
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

/** Per task and model, deciles of p replaced by the realised accuracy of their queries (in-sample). */
function recalibratedOnTest(p: Float64Array, test: LabelMatrix): Float64Array {
  const k = test.models.length;
  const out = Float64Array.from(p);
  for (const task of new Set(test.tasks)) {
    const rows = [...test.tasks.keys()].filter((i) => test.tasks[i] === task);
    for (let j = 0; j < k; j++) {
      const sorted = rows.filter((i) => !Number.isNaN(test.scores[i * k + j])).sort((a, b) => p[a * k + j] - p[b * k + j]);
      for (let d = 0; d < 10; d++) {
        const part = sorted.slice(Math.floor((d * sorted.length) / 10), Math.floor(((d + 1) * sorted.length) / 10));
        if (!part.length) continue;
        const acc = part.reduce((s, i) => s + test.scores[i * k + j], 0) / part.length;
        for (const i of part) out[i * k + j] = acc;
      }
    }
  }
  return out;
}
