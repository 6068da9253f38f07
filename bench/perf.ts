// `npm run bench perf`: the serving-performance estimator against every public measurement in
// ../shared/data/perf/. For each engine profile it fits the efficiency factors on all of that
// profile's points (and says whether profiles.ts holds the same values), then cross-validates:
// the factors refitted leaving out one GPU type at a time, and separately one input/output shape
// at a time, predict the left-out points. Prints every point (estimate, measurement, ratio under
// the shipped constants and under both cross-validations) and a summary per metric: median and
// p90 |log ratio| (as a % error: e^|log r| - 1) and the share of points within 2x.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { fitFactors, fitLoss, fittedKeys, pointErrors, type FitCase, type Metric } from '../src/main/engine/performance/calibrate';
import { engineProfiles } from '../src/main/engine/performance/profiles';
import type { EfficiencyFactors, ServingEngine } from '../src/main/engine/performance/types';
import { publicPoints, type PublicPoint } from './perf-data';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = resolve(root, '../shared/data/perf');

function printTable(rows: (string | number)[][]): void {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(w[i])).join('  '));
}

const shapeOf = (p: PublicPoint) => `${p.point.inputTokens}/${p.point.outputTokens}`;
const loadOf = (p: PublicPoint) => (p.point.maxThroughput ? 'max' : p.point.rate ? `r=${p.point.rate.toFixed(2)}` : `${p.point.staticBatch ? 'b' : 'c'}=${p.point.concurrency}`);
const cases = (ps: PublicPoint[]): FitCase[] => ps.map((p) => ({ d: p.d, point: p.point }));

/** Factors fitted without each group, keyed by point index: leave-one-group-out predictions. */
function crossValidated(ps: PublicPoint[], base: EfficiencyFactors, groupOf: (p: PublicPoint) => string): Map<PublicPoint, EfficiencyFactors> {
  const out = new Map<PublicPoint, EfficiencyFactors>();
  const groups = [...new Set(ps.map(groupOf))];
  for (const g of groups) {
    const train = ps.filter((p) => groupOf(p) !== g);
    const f = train.length ? fitFactors(cases(train), base, fittedKeys, 50) : base;
    for (const p of ps) if (groupOf(p) === g) out.set(p, f);
  }
  return out;
}

type Errs = Record<Metric, number[]>;
const empty = (): Errs => ({ throughput: [], ttft: [], tpot: [] });

function summarise(label: string, errs: Errs, rows: (string | number)[][]): void {
  for (const metric of ['throughput', 'ttft', 'tpot'] as Metric[]) {
    const a = errs[metric].map(Math.abs).sort((x, y) => x - y);
    if (!a.length) continue;
    const q = (f: number) => a[Math.min(a.length - 1, Math.floor(f * a.length))];
    const pct = (x: number) => `${((Math.exp(x) - 1) * 100).toFixed(1)}%`;
    rows.push([label, metric, a.length, `${q(0.5).toFixed(3)} (${pct(q(0.5))})`, `${q(0.9).toFixed(3)} (${pct(q(0.9))})`, `${((100 * a.filter((x) => x <= Math.log(2)).length) / a.length).toFixed(1)}%`]);
  }
}

export async function run(): Promise<void> {
  const all = publicPoints(dataDir);
  console.log(`${all.length} measured points from ${dataDir.replace(root, '')}`);
  const shipped = empty();
  const cvGpu = empty();
  const cvShape = empty();
  const pointRows: (string | number)[][] = [['grid', 'model', 'gpu', 'tp', 'prec', 'shape', 'load', 'metric', 'estimate', 'measured', 'ratio', 'ratio cv-gpu', 'ratio cv-shape']];
  const fitRows: (string | number)[][] = [['engine', 'points', 'factor', 'fitted (all points)', 'profiles.ts', 'same?']];
  let refused = 0;
  for (const engine of ['vllm', 'trtllm'] as ServingEngine[]) {
    const ps = all.filter((p) => p.d.engine === engine);
    const base = engineProfiles[engine].factors;
    const t0 = performance.now();
    const fitted = fitFactors(cases(ps), base);
    for (const k of fittedKeys) {
      const same = Math.abs(fitted[k] - base[k]) <= 0.005 * Math.max(1, Math.abs(base[k]));
      fitRows.push([engine, ps.length, k, fitted[k].toFixed(4), base[k], same ? 'yes' : `no: profiles.ts differs by ${(base[k] - fitted[k]).toFixed(4)}`]);
    }
    const lossShipped = fitLoss(cases(ps), base);
    const lossFitted = fitLoss(cases(ps), fitted);
    fitRows.push([engine, ps.length, 'mean squared log ratio', lossFitted.toFixed(5), lossShipped.toFixed(5), lossShipped <= lossFitted * 1.01 ? 'yes (within 1%)' : `no: profiles.ts is ${(100 * (lossShipped / lossFitted - 1)).toFixed(1)}% worse`]);
    const byGpu = crossValidated(ps, fitted, (p) => p.d.gpu.name);
    const byShape = crossValidated(ps, fitted, shapeOf);
    console.log(`(${engine}: fit and cross-validation ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    for (const p of ps) {
      const now = pointErrors(p.d, p.point);
      if (!now.length) {
        refused++;
        pointRows.push([p.grid, p.d.model.name, p.d.gpu.name, p.d.tp, p.d.weightPrecision, shapeOf(p), loadOf(p), '(refused: does not fit in memory under the model)', '', '', '', '', '']);
        continue;
      }
      const g = pointErrors({ ...p.d, efficiency: byGpu.get(p) }, p.point);
      const s = pointErrors({ ...p.d, efficiency: byShape.get(p) }, p.point);
      now.forEach((e, i) => {
        shipped[e.metric].push(e.logRatio);
        cvGpu[e.metric].push(g[i].logRatio);
        cvShape[e.metric].push(s[i].logRatio);
        pointRows.push([p.grid, p.d.model.name, p.d.gpu.name, p.d.tp, p.d.weightPrecision, shapeOf(p), loadOf(p), e.metric, e.estimated.toFixed(1), e.measured.toFixed(1), Math.exp(e.logRatio).toFixed(2), Math.exp(g[i].logRatio).toFixed(2), Math.exp(s[i].logRatio).toFixed(2)]);
      });
    }
  }
  if (process.env.ROUTEPLAN_BENCH_PERF_POINTS !== '0') {
    console.log('\nevery point (ratio = estimate / measured; throughput in output tok/s, TTFT and TPOT in ms):');
    printTable(pointRows);
  }
  console.log(`\n${refused} points refused by the memory model (not counted)`);
  console.log('\nfitted efficiency factors (Nelder-Mead on squared log ratios, all points of the profile):');
  printTable(fitRows);
  console.log('\nsummary: |log(estimate / measured)| per metric (targets: median <= 20% throughput, <= 25% TTFT/TPOT; 90% within 2x)');
  const sum: (string | number)[][] = [['factors', 'metric', 'points', 'median |log r|', 'p90 |log r|', 'within 2x']];
  summarise('profiles.ts', shipped, sum);
  summarise('cv leave-one-GPU-out', cvGpu, sum);
  summarise('cv leave-one-shape-out', cvShape, sum);
  printTable(sum);
}
