// `npm run bench allocation`: the allocation solvers and the what-if engine at the sizes of issue 5.
// Ratios are against baselines measured in the same run: the uniform split of the same GPUs (for
// quality) and a full re-optimisation (for the what-if recomputation).
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInWorker } from '../src/main/engine/jobs/worker-pool';
import { fromExtendedForm, fromPaperForm } from '../src/main/engine/allocation/problem';
import { solveAllocation, uniformInstances, type RunTask } from '../src/main/engine/allocation/solve';
import { solveWithHighs } from '../src/main/engine/allocation/highs-model';
import { solveDecomposition } from '../src/main/engine/allocation/decompose';
import { prepareGroups, solveInner } from '../src/main/engine/allocation/inner';
import { evaluateWhatIf, prepareWhatIf } from '../src/main/engine/allocation/whatif';
import { routerbenchPaper, syntheticExtended, syntheticPaper } from '../tests/main/engine/allocation/fixtures';
import { readRouterbench, trainFiles } from '../tests/helpers/routerbench';

const root = fileURLToPath(new URL('..', import.meta.url));
const worker = { url: pathToFileURL(join(root, 'src/main/engine/jobs/worker.ts')), execArgv: ['--import', 'tsx'] };
const inWorker: RunTask = (task, payload, timeoutMs) => runInWorker(worker, task, payload, { timeoutMs });
const f = (x: number | null | undefined, d = 4) => (x == null || !Number.isFinite(x) ? String(x) : x.toFixed(d));
const pct = (x: number | null) => (x == null ? '—' : `${(x * 100).toFixed(3)}%`);

function printTable(rows: (string | number)[][]): void {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(w[i])).join('  '));
}

export async function run(): Promise<void> {
  const rows: (string | number)[][] = [['case', 'solver', 'status', 'objective', 'gap', 'ms', 'baseline', 'ratio']];

  // 1. Extended form: 10,000 queries x 20 models x 5 GPU types x 500 GPUs, hourly spend cap.
  {
    const p = fromExtendedForm(syntheticExtended(10_000, 20, 5, 500, 11, { trafficQps: 1500, spendCap: 4000 }));
    const res = await solveAllocation(p, inWorker, { solver: 'auto', timeLimitMs: 30_000, mipGap: 0.01 });
    const uni = solveInner(p, prepareGroups(p), uniformInstances(p));
    rows.push(['ext 10000x20x5 types x500 GPUs', res.solver, res.status, f(res.objective), pct(res.gap), res.ms, `uniform ${f(uni.feasible ? uni.objective : null)}`, uni.feasible && res.objective ? f(res.objective / uni.objective, 4) : '—']);
  }

  // 2. The paper's form at N = 1,000, 20 models (the paper's GLPK: about 1.8 s there).
  {
    const p = fromPaperForm(syntheticPaper(1000, 20, 5, { api: 4, gpuBudget: 44, budgetPerQuery: 3e-6, batchSize: 100 }));
    const t0 = performance.now();
    const exact = await inWorker<Awaited<ReturnType<typeof solveWithHighs>>>('allocation.highs', { problem: p, integer: true, mipRelGap: 0.01, timeLimitS: 60 }, 70_000).catch((e) => ({ status: String(e.code), objective: NaN, gap: NaN }) as never);
    const exactMs = performance.now() - t0;
    rows.push(['paper N=1000 K=20 G=44', 'highs MIP 1%', exact.status, f(exact.objective), pct(exact.gap), Math.round(exactMs), 'GLPK (paper) 1800 ms', f(exactMs / 1800, 2)]);
    const res = await solveAllocation(p, inWorker, { solver: 'decomposition', timeLimitMs: 30_000, mipGap: 0.01 });
    rows.push(['paper N=1000 K=20 G=44', 'LP + decomposition', res.status, f(res.objective), pct(res.gap), res.ms, `highs ${Math.round(exactMs)} ms`, f(res.ms / exactMs, 2)]);
    const own = solveDecomposition(p, { timeLimitMs: 10_000 });
    rows.push(['paper N=1000 K=20 G=44', 'decomposition, own bound', own.status, f(own.objective), pct(own.gap), Math.round(own.ms), `highs ${Math.round(exactMs)} ms`, f(own.ms / exactMs, 2)]);
  }

  // 3. What-if recomputation for a 2,000-query sample x 16 models (slider moves).
  {
    const form = syntheticExtended(2000, 16, 5, 500, 3, { trafficQps: 1500, spendCap: 4000 });
    const t0 = performance.now();
    const ctx = prepareWhatIf(form);
    const prepMs = performance.now() - t0;
    const best = solveDecomposition(ctx.problem, { timeLimitMs: 10_000 });
    const I = best.instances;
    evaluateWhatIf(ctx, I); // warm-up (JIT)
    const times: number[] = [];
    for (let r = 0; r < 21; r++) {
      const J = I.slice();
      const d = r % J.length;
      J[d] = Math.max(0, J[d] + (r % 2 ? 1 : -1)); // a slider moved by one instance
      const s = performance.now();
      evaluateWhatIf(ctx, J);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    rows.push(['what-if 2000x16 (median of 21)', 'batch router', 'ok', f(evaluateWhatIf(ctx, I).quality), '—', f(times[10], 1), `re-optimise ${Math.round(best.ms)} ms`, f(times[10] / best.ms, 4)]);
    rows.push(['what-if 2000x16 (max of 21)', 'batch router', 'ok', '', '—', f(times[20], 1), `prepare ${f(prepMs, 1)} ms`, '']);
  }
  printTable(rows);

  // 4. RouterBench (train split, 2,225 queries x 11 models, the paper's GPU constants for its six
  //    open models): optimised allocation against the uniform split of the same GPUs, both routed
  //    by the same router. Planned on two quality inputs: each query's own labels (hindsight, an
  //    oracle's view) and each model's accuracy on the query's task (no hindsight); the realised
  //    accuracy of the task-mean plans is then scored on the labels.
  const m = readRouterbench(trainFiles);
  const k = m.models.length;
  const realised = (x: Int32Array) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += Number.isNaN(m.scores[i * k + x[i]]) ? 0 : m.scores[i * k + x[i]];
    return s / x.length;
  };
  for (const qualityFrom of ['labels', 'task-mean'] as const) {
    console.log(`\nRouterBench, quality from ${qualityFrom}: optimised vs uniform split (same GPUs, same router; budget = fraction of GPT-4 spend)`);
    const gain: (string | number)[][] = [['GPUs', 'budget', 'optimised', 'uniform', 'gain (points)', 'realised opt', 'realised uni', 'gap', 'ms']];
    for (const G of [11, 22, 44, 88]) {
      for (const frac of [0.05, 0.2]) {
        const p = fromPaperForm(routerbenchPaper(m, 2225, G, frac, 100, qualityFrom));
        const t0 = performance.now();
        const lp = await inWorker<Awaited<ReturnType<typeof solveWithHighs>>>('allocation.highs', { problem: p, integer: false }, 60_000).catch(() => null);
        const res = solveDecomposition(p, { lp: lp && lp.status === 'optimal' ? { instances: lp.instances, bound: lp.objective } : null, timeLimitMs: 20_000, targetGap: 1e-3 });
        const ms = Math.round(performance.now() - t0);
        const uni = solveInner(p, prepareGroups(p), uniformInstances(p));
        const o = res.assignment ? res.objective : null;
        const u = uni.feasible ? uni.objective : null;
        gain.push([G, frac, f(o), f(u), o != null && u != null ? f((o - u) * 100, 2) : '—', res.assignment ? f(realised(res.assignment)) : '—', uni.feasible ? f(realised(uni.assignment)) : '—', pct(res.gap), ms]);
      }
    }
    printTable(gain);
  }
}
