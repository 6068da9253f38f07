// `npm run bench perf-measured`: measured-profile interpolation. For each public grid in
// ../shared/data/perf/ that measures several loads or shapes per deployment (LMDeploy static
// batches, Splitwise prefill/decode profiles, the TensorRT-LLM max-throughput grid), every
// deployment's points are split by a seeded 70/30 shuffle: the 70% play the user's imported
// measurements, and resolveFromPoints (what `perf estimate --workspace` and the planner call)
// predicts each held-out point's figures. A figure it marks 'measured' (the held-out point lies
// inside the range of the remaining points) counts as interpolation; the others come from the
// model re-fitted to the 70% ('fitted') and are reported apart. For comparison, the same
// interpolation without the estimator as anchor (raw values in log space). Five seeds.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { interpolateMetric, loadOf, metricOf, type MetricName } from '../src/main/engine/performance/measurements/interpolate';
import { deploymentKey } from '../src/main/engine/performance/measurements/names';
import { resolveFromPoints } from '../src/main/engine/performance/measurements/resolve';
import type { SourcedEstimate } from '../src/main/engine/performance/measurements/measured-estimate';
import { createRng, permutation } from '../src/main/engine/predictor/rng';
import type { Deployment, Load, MeasuredPoint, Percentiles, PerfEstimate } from '../src/main/engine/performance/types';
import { publicPoints, type PublicPoint } from './perf-data';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = resolve(root, '../shared/data/perf');
const grids: PublicPoint['grid'][] = ['lmdeploy', 'splitwise', 'trtllm'];
const seeds = [1, 2, 3, 4, 5];
const TRAIN_SHARE = 0.7;

/** Throughput, and the TTFT / TPOT statistic each grid measured (the first one present). */
const metricGroups: Record<string, MetricName[]> = {
  throughput: ['outputTokensPerS'],
  ttft: ['ttftMs.p50', 'ttftMs.mean'],
  tpot: ['tpotMs.p50', 'tpotMs.mean'],
};

const figure = (e: PerfEstimate, m: MetricName): number =>
  m === 'outputTokensPerS' ? e.outputTokensPerS : m === 'requestsPerS' ? e.requestsPerS : (m.startsWith('ttft') ? e.ttftMs : e.tpotMs)[m.slice(7) as keyof Percentiles];

const loadFor = (p: MeasuredPoint): Load => (p.maxThroughput ? { maxThroughput: true } : p.concurrency !== undefined ? { concurrency: p.concurrency } : { rate: p.rate! });

const quantile = (sorted: number[], f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);

function printTable(rows: (string | number)[][]): void {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(w[i])).join('  '));
}

type Errs = Record<string, { measured: number[]; fitted: number[]; raw: number[]; heldOut: number }>;
const errs = (): Errs => Object.fromEntries(Object.keys(metricGroups).map((g) => [g, { measured: [], fitted: [], raw: [], heldOut: 0 }]));

export async function run(): Promise<void> {
  const all = publicPoints(dataDir).filter((p) => grids.includes(p.grid));
  const rows: (string | number)[][] = [['grid', 'metric', 'held out', 'measured (covered)', 'median |err|', 'p90 |err|', 'raw interp. median', 'fitted (not covered)', 'fitted median |err|', 'refused']];
  const overall = errs();
  for (const grid of grids) {
    const byDeployment = new Map<string, { d: Deployment; points: MeasuredPoint[] }>();
    for (const p of all.filter((x) => x.grid === grid)) {
      const k = deploymentKey(p.point);
      byDeployment.set(k, { d: p.d, points: [...(byDeployment.get(k)?.points ?? []), p.point] });
    }
    const e = errs();
    for (const seed of seeds) {
      let k = 0;
      for (const { d, points } of byDeployment.values()) {
        if (points.length < 4) continue; // too few to split
        const order = permutation(points.length, createRng(seed * 1000 + k++));
        const nTrain = Math.round(TRAIN_SHARE * points.length);
        const train = [...order.slice(0, nTrain)].map((i) => points[i]);
        for (const i of order.slice(nTrain)) {
          const p = points[i];
          const l = loadOf(p);
          let est: PerfEstimate | SourcedEstimate | null = null;
          try {
            est = resolveFromPoints(train, d, { inputTokens: p.inputTokens, outputTokens: p.outputTokens }, loadFor(p));
          } catch {
            est = null; // the model refuses the deployment or shape (e.g. memory): counted under 'refused'
          }
          for (const [group, names] of Object.entries(metricGroups)) {
            const name = names.find((m) => metricOf(p, m) !== undefined);
            if (!name) continue;
            const truth = metricOf(p, name)!;
            e[group].heldOut++;
            const raw = interpolateMetric(train, name, { inputTokens: p.inputTokens, outputTokens: p.outputTokens, kind: l.kind, load: l.value });
            if (raw !== null) e[group].raw.push(Math.abs(raw / truth - 1));
            if (!est) continue;
            const source = 'figureSources' in est ? est.figureSources[name] : est.source;
            const err = Math.abs(figure(est, name) / truth - 1);
            if (!Number.isFinite(err)) continue;
            (source === 'measured' ? e[group].measured : e[group].fitted).push(err);
          }
        }
      }
    }
    for (const [group, x] of Object.entries(e)) {
      if (!x.heldOut) continue;
      for (const key of ['measured', 'fitted', 'raw'] as const) {
        x[key].sort((a, b) => a - b);
        overall[group][key].push(...x[key]);
      }
      overall[group].heldOut += x.heldOut;
      rows.push([grid, group, x.heldOut, x.measured.length, pct(quantile(x.measured, 0.5)), pct(quantile(x.measured, 0.9)), pct(quantile(x.raw, 0.5)), x.fitted.length, pct(quantile(x.fitted, 0.5)), x.heldOut - x.measured.length - x.fitted.length]);
    }
  }
  for (const [group, x] of Object.entries(overall)) {
    for (const key of ['measured', 'fitted', 'raw'] as const) x[key].sort((a, b) => a - b);
    if (x.heldOut) rows.push(['all', group, x.heldOut, x.measured.length, pct(quantile(x.measured, 0.5)), pct(quantile(x.measured, 0.9)), pct(quantile(x.raw, 0.5)), x.fitted.length, pct(quantile(x.fitted, 0.5)), x.heldOut - x.measured.length - x.fitted.length]);
  }
  console.log(`measured-profile interpolation: a seeded ${TRAIN_SHARE * 100}% of each deployment's points imported, the rest predicted (seeds ${seeds.join(', ')}); target: median |err| <= 10% where measured`);
  printTable(rows);
}
