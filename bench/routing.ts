// `npm run bench routing`: the fast Lagrangian solver against the HiGHS WASM MIP on the same
// budget + capacity instances (K = 16). HiGHS runs in a worker with a hard limit and only up to
// N = 2,000 (it needs ~32 s at 5,000 and finds nothing at 20,000); the fast solver runs up to
// 100,000. Ratios are against HiGHS measured in the same run.
import { pathToFileURL, fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { solveFast, runHighs } from '../src/main/engine/routing/solve';
import { solveWithChance } from '../src/main/engine/routing/chance-solve';
import { checkAssignment } from '../src/main/engine/routing/instance';
import { syntheticInstance } from '../src/main/engine/routing/synthetic';
import { table } from '../src/main/cli/output';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const worker = { url: pathToFileURL(join(root, 'src/main/engine/jobs/worker.ts')), execArgv: ['--import', 'tsx'] };
const HIGHS_LIMIT_MS = 60_000;

export async function run(): Promise<void> {
  await runSolverTable();
  // ROUTEPLAN_BENCH_SOLVER_ONLY=1 skips the RouterBench evaluation (minutes: a predictor per seed).
  if (!process.env.ROUTEPLAN_BENCH_SOLVER_ONLY) await (await import('./routing-eval.ts')).runEvaluationTables();
}

async function runSolverTable(): Promise<void> {
  const rows: (string | number | null)[][] = [['N', 'budget f', 'solver', 'status', 'objective', 'bound', 'gap', 'ms', 'cpu ms', 'feasible', 'ms vs HiGHS', 'objective vs HiGHS']];
  for (const n of [1000, 2000, 10_000, 100_000]) {
    for (const f of [0.2, 0.5]) {
      const inst = syntheticInstance({ n, k: 16, seed: n + Math.round(100 * f), budgetFraction: f });
      // Best of three for the fast solver (the machine is shared; timings are noisy).
      let fast = solveFast(inst);
      let cpuMs = Infinity;
      for (let r = 0; r < 3; r++) {
        const c0 = process.cpuUsage();
        const again = solveFast(inst);
        const c = process.cpuUsage(c0);
        cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
        if (again.ms < fast.ms) fast = again;
      }
      const fc = checkAssignment(inst, fast.assignment);
      let highs: { status: string; objective: number; lpBound: number; gap: number; ms: number } | null = null;
      if (n <= 2000) {
        const t0 = performance.now();
        const h = await runHighs(inst, { timeLimitMs: HIGHS_LIMIT_MS, relGap: 1e-4, worker });
        highs = { status: h.status, objective: h.objective, lpBound: h.lpBound, gap: h.gap, ms: performance.now() - t0 };
        const hc = h.assignment[0] >= 0 ? checkAssignment(inst, h.assignment) : null;
        rows.push([n, f, 'highs-wasm', h.status, fmt(h.objective), fmt(h.lpBound), pct(h.gap), Math.round(highs.ms), '—', hc ? String(hc.withinBudget && hc.withinCapacity) : '—', '1.00', '1.0000']);
      }
      rows.push([
        n,
        f,
        'fast',
        fast.status,
        fmt(fast.objective),
        fmt(fast.lpBound),
        pct(fast.gap),
        Math.round(fast.ms),
        Math.round(cpuMs),
        String(fc.withinBudget && fc.withinCapacity && fc.complete),
        highs ? (fast.ms / highs.ms).toFixed(4) : '—',
        highs && Number.isFinite(highs.objective) ? (fast.objective / highs.objective).toFixed(4) : '—',
      ]);
      // The same batch with its budget held at 95% (cost sd = half the cost): the iterations'
      // total time; the gap is the last step's, on the linearised problem it solved.
      const t1 = performance.now();
      const cc = await solveWithChance(inst, inst.cost.map((c) => (0.5 * c) ** 2), 0.95, { solver: 'fast' });
      const ccMs = performance.now() - t1;
      const ccCheck = checkAssignment(inst, cc.assignment);
      rows.push([n, f, 'fast, p = 0.95', cc.status, fmt(cc.objective), fmt(cc.lpBound), pct(cc.gap), Math.round(ccMs), '—', String(ccCheck.withinBudget && ccCheck.withinCapacity && cc.riskAdjustedCost <= inst.budget), highs ? (ccMs / highs.ms).toFixed(4) : '—', highs && Number.isFinite(highs.objective) ? (cc.objective / highs.objective).toFixed(4) : '—']);
    }
  }
  console.log(table(rows));
  console.log(`HiGHS: WASM MIP in a worker, mip_rel_gap 1e-4, time limit ${HIGHS_LIMIT_MS / 1000} s (terminated 2 s later); fast: best of 3 runs (wall and this thread's CPU time; the machine is shared), tolerance 0.1%; fast, p = 0.95: mean cost + 1.645 sd of the batch within budget (sd = cost / 2 per pair), one run of all its steps; objective vs HiGHS = what the 95% guarantee costs.`);
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(4) + '%' : '—');
