// The seed paper's optimizer is CVXPY + GLPK_MI. CVXPY is not installable offline here, so the
// baseline is the same MIP handed straight to GLPK's own solver (glpsol, Debian's glpk-utils):
// the paper's solver without CVXPY's modelling overhead, i.e. a baseline at least as fast as the
// paper's code. Written as CPLEX LP (GLPK's reader), solved with glpsol's defaults (gap 0).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { depCount, instanceUpperBounds, type AllocProblem } from '../src/main/engine/allocation/problem';

export const glpsolAvailable = (): boolean => spawnSync('glpsol', ['--version'], { stdio: 'ignore' }).status === 0;

/** The allocation MIP of problem.ts in CPLEX LP format (objective: summed quality). */
export function cplexLp(p: AllocProblem): string {
  const { n, k } = p;
  const D = depCount(p);
  const out: string[] = ['\\ routeplan allocation MIP (paper form)', 'Maximize'];
  const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(12));
  const terms = (t: string[]) => {
    for (let s = 0; s < t.length; s += 8) out.push(`  ${t.slice(s, s + 8).join(' ')}`);
  };
  const obj: string[] = [];
  for (let c = 0; c < n * k; c++) if (p.quality[c] !== 0) obj.push(`+ ${num(p.quality[c])} x${c}`);
  out.push(' obj:');
  terms(obj.length ? obj : ['0 x0']);
  out.push('Subject To');
  for (let i = 0; i < n; i++) {
    out.push(` a${i}:`);
    terms([...Array(k).keys()].map((j) => `+ x${i * k + j}`));
    out.push('  = 1');
  }
  if (p.knapsack) {
    const t: string[] = [];
    for (let c = 0; c < n * k; c++) if (p.knapsack.coef[c] !== 0) t.push(`+ ${num(p.knapsack.coef[c])} x${c}`);
    for (let d = 0; d < D; d++) if (p.knapsack.perInstance[d] !== 0) t.push(`+ ${num(p.knapsack.perInstance[d])} I${d}`);
    out.push(' budget:');
    terms(t);
    out.push(`  <= ${num(p.knapsack.rhs)}`);
  }
  p.gpuTypes.forEach((g, t) => {
    out.push(` gpu${t}:`);
    terms([...Array(D).keys()].filter((d) => p.dep.gpuType[d] === t).map((d) => `+ ${num(p.dep.gpus[d])} I${d}`));
    out.push(`  <= ${g.count}`);
  });
  for (let g = 0; g < p.groupCount; g++)
    for (let j = 0; j < k; j++) {
      const deps = [...Array(D).keys()].filter((d) => p.dep.model[d] === j);
      if (!deps.length && !Number.isFinite(p.fixedCap[j])) continue;
      const t: string[] = [];
      for (let i = 0; i < n; i++) if (p.groupOf[i] === g) t.push(`+ x${i * k + j}`);
      for (const d of deps) t.push(`- ${num(p.dep.capUnit[d])} I${d}`);
      out.push(` cap${g}_${j}:`);
      terms(t);
      out.push(`  <= ${deps.length ? 0 : num(p.fixedCap[j])}`);
    }
  const ub = instanceUpperBounds(p);
  out.push('Bounds');
  for (let d = 0; d < D; d++) out.push(` 0 <= I${d} <= ${ub[d]}`);
  out.push('General');
  terms([...Array(D).keys()].map((d) => `I${d}`));
  out.push('Binary');
  terms([...Array(n * k).keys()].map((c) => `x${c}`));
  out.push('End', '');
  return out.join('\n');
}

export interface GlpkResult {
  status: string;
  objective: number; // mean quality
  ms: number; // wall time of the glpsol process, reading the file included
}

export function solveWithGlpsol(p: AllocProblem, timeLimitS = 120): GlpkResult {
  const dir = mkdtempSync(join(tmpdir(), 'routeplan-glpk-'));
  try {
    const lp = join(dir, 'model.lp');
    writeFileSync(lp, cplexLp(p));
    const t0 = performance.now();
    const r = spawnSync('glpsol', ['--lp', lp, '--tmlim', String(timeLimitS), '-o', join(dir, 'out.txt')], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = performance.now() - t0;
    const text = `${r.stdout}`;
    const objective = /(?:mip|obj)\s*=\s*([-+0-9.eE]+)/.exec([...text.matchAll(/\+\s*\d+:\s*mip\s*=\s*[-+0-9.eE]+/g)].pop()?.[0] ?? '');
    const status = /INTEGER OPTIMAL SOLUTION FOUND/.test(text) ? 'optimal' : /TIME LIMIT EXCEEDED/.test(text) ? 'timeout' : /PROBLEM HAS NO (PRIMAL|INTEGER) FEASIBLE SOLUTION/.test(text) ? 'infeasible' : 'error';
    return { status, objective: objective ? Number(objective[1]) / p.n : NaN, ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
