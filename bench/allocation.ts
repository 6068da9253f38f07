// `npm run bench allocation`: the allocation solvers at the sizes of issues 5 and 17, the
// procurement sweep, and the what-if engine. Every ratio is against a baseline measured in the
// same run: GLPK (the seed paper's solver) and the HiGHS-MIP path of the same model for the
// paper form, the HiGHS LP relaxation + decomposition path for the extended form, cold points
// for the sweep, and the uniform split of the same GPUs for quality.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInWorker } from '../src/main/engine/jobs/worker-pool';
import { fromExtendedForm, fromPaperForm } from '../src/main/engine/allocation/problem';
import { solveAllocation, uniformInstances, type RunTask } from '../src/main/engine/allocation/solve';
import { solveWithHighs } from '../src/main/engine/allocation/highs-model';
import { solveDecomposition } from '../src/main/engine/allocation/decompose';
import { prepareGroups, solveInner } from '../src/main/engine/allocation/inner';
import { gpuSweep } from '../src/main/engine/allocation/gpu-sweep';
import { evaluateWhatIf, prepareWhatIf } from '../src/main/engine/allocation/whatif';
import { routerbenchPaper, syntheticExtended, syntheticPaper } from '../tests/main/engine/allocation/fixtures';
import { readRouterbench, trainFiles } from '../tests/helpers/routerbench';
import { glpsolAvailable, solveWithGlpsol } from './glpk-baseline';
const root = fileURLToPath(new URL('..', import.meta.url));
const worker = { url: pathToFileURL(join(root, 'src/main/engine/jobs/worker.ts')), execArgv: ['--import', 'tsx'] };
const inWorker: RunTask = (task, payload, timeoutMs) => runInWorker(worker, task, payload, { timeoutMs });
const f = (x: number | null | undefined, d = 4) => (x == null || !Number.isFinite(x) ? String(x) : x.toFixed(d));
const pct = (x: number | null) => (x == null ? '—' : `${(x * 100).toFixed(3)}%`);

function printTable(rows: (string | number)[][]): void {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(w[i])).join('  '));
}

/** `routeplan allocate` as a user runs it: process wall time, the JSON it prints. */
function cliAllocate(file: string, extra: string[]): { ms: number; r: { status: string; objective: number | null; gap: number | null; solver: string } } {
  const bin = join(root, 'bin/routeplan.js');
  const t0 = performance.now();
  const out = spawnSync(process.execPath, [bin, 'allocate', '--input', file, '--json', ...extra], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ROUTEPLAN_WORKSPACE: '' } });
  const ms = performance.now() - t0;
  if (out.status !== 0) throw new Error(`routeplan allocate exited ${out.status}: ${out.stderr}`);
  return { ms, r: JSON.parse(out.stdout) };
}

export async function run(): Promise<void> {
  if (!existsSync(join(root, 'out/main/cli.js'))) throw new Error('build first: npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'routeplan-bench-alloc-'));
  const glpk = glpsolAvailable();
  const GLPK_LIMIT_S = Number(process.env.BENCH_GLPK_LIMIT_S ?? 60);
  try {
    // 1. The paper's form at the paper's size: N = 1,000, M = 20 (10 API, 10 self-hosted with
    //    1-8 GPUs and 2-16 slots per instance), G = 40, batches of 100, budget 0.3 of the dearest.
    console.log(`paper form, N = 1,000 x M = 20, G = 40: routeplan allocate (process wall) against ${glpk ? `GLPK 5 (glpsol, the paper's solver, limit ${GLPK_LIMIT_S} s)` : 'GLPK: glpsol not installed (apt-get install glpk-utils), skipped'} and the HiGHS-MIP path (--solver highs --gap 0.001)`);
    const paper: (string | number)[][] = [['seed', 'ours ms', 'ours objective', 'ours gap', 'GLPK ms', 'GLPK objective', 'GLPK / ours', 'HiGHS ms', 'HiGHS objective', 'HiGHS / ours', 'ours vs best']];
    for (const seed of [1, 2, 3]) {
      const form = syntheticPaper(1000, 20, seed, { api: 10, gpuBudget: 40, batchSize: 100, budgetPerQuery: 3e-5 });
      const file = join(dir, `paper${seed}.json`);
      writeFileSync(file, JSON.stringify(form));
      cliAllocate(file, []); // warm the file cache and the build
      const ours = cliAllocate(file, []);
      const g = glpk ? solveWithGlpsol(fromPaperForm(form), GLPK_LIMIT_S) : null;
      const h = cliAllocate(file, ['--solver', 'highs', '--gap', '0.001', '--time-limit', '60000']);
      const best = Math.max(ours.r.objective ?? -Infinity, g && Number.isFinite(g.objective) ? g.objective : -Infinity, h.r.objective ?? -Infinity);
      paper.push([
        seed,
        Math.round(ours.ms),
        f(ours.r.objective, 6),
        pct(ours.r.gap),
        g ? `${Math.round(g.ms)}${g.status === 'optimal' ? '' : ` (${g.status})`}` : '—',
        g ? f(g.objective, 6) : '—',
        g ? `${g.status === 'timeout' ? '>= ' : ''}${f(g.ms / ours.ms, 1)}x` : '—',
        `${Math.round(h.ms)}${h.r.status === 'optimal' ? '' : ` (${h.r.status})`}`,
        f(h.r.objective, 6),
        `${f(h.ms / ours.ms, 1)}x`,
        pct(((ours.r.objective ?? 0) - best) / best),
      ]);
    }
    printTable(paper);

    // 2. Extended form: 10,000 queries x 20 models x 5 GPU types x 500 GPUs, hourly spend cap.
    console.log('\nextended form, 10,000 x 20 x 5 GPU types x 500 GPUs: auto (reduced-dual LP + decomposition) against the HiGHS LP relaxation + decomposition path');
    const ext: (string | number)[][] = [['solver', 'status', 'objective', 'gap', 'ms', 'ratio', 'uniform split']];
    {
      const p = fromExtendedForm(syntheticExtended(10_000, 20, 5, 500, 11, { trafficQps: 1500, spendCap: 4000 }));
      const uni = solveInner(p, prepareGroups(p), uniformInstances(p));
      const ours = await solveAllocation(p, inWorker, { solver: 'auto', timeLimitMs: 30_000, mipGap: 1e-3 });
      const base = await solveAllocation(p, inWorker, { solver: 'decomposition', timeLimitMs: 60_000, mipGap: 1e-3 });
      ext.push(['auto (ours)', ours.status, f(ours.objective, 6), pct(ours.gap), ours.ms, '1', f(uni.feasible ? uni.objective : null)]);
      ext.push(['HiGHS LP + decomposition', base.status, f(base.objective, 6), pct(base.gap), base.ms, `${f(base.ms / ours.ms, 1)}x`, '']);
    }
    printTable(ext);

    // 3. Procurement sweep over the paper instance of seed 1: G = 8 … 512, each point warm-started
    //    from the previous one, against the same points solved cold (after a JIT warm-up).
    console.log('\nprocurement sweep, paper form seed 1, G = 8 … 512: warm-started points against cold ones');
    {
      const p = fromPaperForm(syntheticPaper(1000, 20, 1, { api: 10, gpuBudget: 40, batchSize: 100, budgetPerQuery: 3e-5 }));
      const counts = [8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];
      gpuSweep(p, [40], { gpuType: 0, timeLimitMsPerPoint: 5_000, targetGap: 1e-3 });
      const cold = gpuSweep(p, counts, { gpuType: 0, timeLimitMsPerPoint: 5_000, targetGap: 1e-3, cold: true });
      const warm = gpuSweep(p, counts, { gpuType: 0, timeLimitMsPerPoint: 5_000, targetGap: 1e-3 });
      const rows: (string | number)[][] = [['G', 'warm objective', 'warm gap', 'warm evals', 'warm ms', 'cold objective', 'cold gap', 'cold evals', 'cold ms']];
      counts.forEach((G, x) => rows.push([G, f(warm[x].objective, 6), pct(warm[x].gap), warm[x].evaluations, Math.round(warm[x].ms), f(cold[x].objective, 6), pct(cold[x].gap), cold[x].evaluations, Math.round(cold[x].ms)]));
      const sum = (xs: { ms: number; evaluations: number }[], k: 'ms' | 'evaluations') => xs.reduce((a, b) => a + b[k], 0);
      rows.push(['total', '', '', sum(warm, 'evaluations'), Math.round(sum(warm, 'ms')), '', '', sum(cold, 'evaluations'), Math.round(sum(cold, 'ms'))]);
      printTable(rows);
      const mono = warm.every((x, i) => i === 0 || (x.objective ?? 0) >= (warm[i - 1].objective ?? 0) - 1e-12);
      console.log(`warm / cold time: ${f(sum(warm, 'ms') / sum(cold, 'ms'), 2)}x; router evaluations ${f(sum(warm, 'evaluations') / sum(cold, 'evaluations'), 2)}x; warm curve never decreases: ${mono}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const rows: (string | number)[][] = [['case', 'solver', 'status', 'objective', 'gap', 'ms', 'baseline', 'ratio']];
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
