// The allocation problem as one HiGHS model (sparse CSC), solved exactly as a MIP or relaxed as an
// LP (whose value bounds the MIP and whose duals price capacity). Runs inside a worker: the caller
// terminates the worker as the real time limit (HiGHS ignores its own during presolve/root LP).
import highsLoader from 'highs';
import { depCount, instanceUpperBounds, type AllocProblem } from './problem';

export interface HighsAllocResult {
  /** 'optimal' within mipGap, 'feasible' at a limit with an incumbent, else 'infeasible'/'timeout'. */
  status: 'optimal' | 'feasible' | 'infeasible' | 'timeout' | 'error';
  rawStatus: number;
  objective: number; // mean quality (1/n Σ p x); NaN without a solution
  bound: number; // proven upper bound on the mean quality
  gap: number;
  instances: Float64Array; // D
  assignment: Int32Array | null; // n; null for an LP or without a solution
  /** LP only: fractional instances and row duals of the capacity rows (group-major, per capped model). */
  lp?: { instances: Float64Array; capDual: Float64Array; knapsackDual: number; inventoryDual: Float64Array };
  ms: number;
}

interface Layout {
  capped: Int32Array; // models that get a capacity row per group
  capRow: Int32Array; // k -> position in `capped` or -1
  knapRow: number; // row index or -1
  invRow0: number;
  capRow0: number;
  rows: number;
}

function layout(p: AllocProblem): Layout {
  const capRow = new Int32Array(p.k).fill(-1);
  const capped: number[] = [];
  for (let j = 0; j < p.k; j++) if (p.hosted[j] || Number.isFinite(p.fixedCap[j])) capRow[j] = capped.push(j) - 1;
  const knapRow = p.knapsack ? p.n : -1;
  const invRow0 = p.n + (p.knapsack ? 1 : 0);
  const capRow0 = invRow0 + p.gpuTypes.length;
  return { capped: Int32Array.from(capped), capRow, knapRow, invRow0, capRow0, rows: capRow0 + p.groupCount * capped.length };
}

/** Builds the model arrays (exported for tests that check the rows). */
export function buildModel(p: AllocProblem, integer: boolean, inf: number) {
  const { n, k } = p;
  const D = depCount(p);
  const L = layout(p);
  const nc = L.capped.length;
  const cols = n * k + D;
  const nnzMax = n * k * 3 + D * (2 + p.groupCount);
  const starts = new Int32Array(cols + 1);
  const index = new Int32Array(nnzMax);
  const value = new Float64Array(nnzMax);
  let z = 0;
  const colCost = new Float64Array(cols);
  const colLower = new Float64Array(cols);
  const colUpper = new Float64Array(cols);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const c = i * k + j;
      starts[c] = z;
      colCost[c] = p.quality[c] / n;
      colUpper[c] = 1;
      index[z] = i;
      value[z++] = 1;
      if (p.knapsack && p.knapsack.coef[c] !== 0) (index[z] = L.knapRow), (value[z++] = p.knapsack.coef[c]);
      if (L.capRow[j] >= 0) (index[z] = L.capRow0 + p.groupOf[i] * nc + L.capRow[j]), (value[z++] = 1);
    }
  }
  const ub = instanceUpperBounds(p);
  for (let d = 0; d < D; d++) {
    const c = n * k + d;
    starts[c] = z;
    colUpper[c] = ub[d];
    if (p.knapsack && p.knapsack.perInstance[d] !== 0) (index[z] = L.knapRow), (value[z++] = p.knapsack.perInstance[d]);
    index[z] = L.invRow0 + p.dep.gpuType[d];
    value[z++] = p.dep.gpus[d];
    const pos = L.capRow[p.dep.model[d]];
    for (let g = 0; g < p.groupCount; g++) (index[z] = L.capRow0 + g * nc + pos), (value[z++] = -p.dep.capUnit[d]);
  }
  starts[cols] = z;
  const rowLower = new Float64Array(L.rows).fill(-inf);
  const rowUpper = new Float64Array(L.rows);
  for (let i = 0; i < n; i++) (rowLower[i] = 1), (rowUpper[i] = 1);
  if (p.knapsack) rowUpper[L.knapRow] = p.knapsack.rhs;
  p.gpuTypes.forEach((g, t) => (rowUpper[L.invRow0 + t] = g.count));
  for (let g = 0; g < p.groupCount; g++)
    for (let q = 0; q < nc; q++) {
      const j = L.capped[q];
      rowUpper[L.capRow0 + g * nc + q] = p.hosted[j] ? 0 : p.fixedCap[j];
    }
  const integrality = integer ? new Int32Array(cols).fill(1) : undefined;
  return {
    L,
    data: {
      numCols: cols,
      numRows: L.rows,
      colCost,
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csc' as const, numRows: L.rows, numCols: cols, starts, indices: index.subarray(0, z), values: value.subarray(0, z) },
      integrality,
    },
  };
}

export interface HighsAllocOptions {
  integer: boolean;
  mipRelGap?: number;
  timeLimitS?: number;
  /** Instance counts to fix (an LP/MIP over x only), e.g. to evaluate a given allocation exactly. */
  fixInstances?: ArrayLike<number>;
}

export async function solveWithHighs(p: AllocProblem, opts: HighsAllocOptions): Promise<HighsAllocResult> {
  const t0 = performance.now();
  const highs = await highsLoader();
  const { L, data } = buildModel(p, opts.integer, highs.infinity);
  const { n, k } = p;
  const D = depCount(p);
  if (opts.fixInstances) for (let d = 0; d < D; d++) data.colLower[n * k + d] = data.colUpper[n * k + d] = opts.fixInstances[d];
  const model = highs.createModel({ ...data, sense: highs.constants.objectiveSense.maximize });
  try {
    model.options.set({ output_flag: false, mip_rel_gap: opts.mipRelGap ?? 1e-4, time_limit: opts.timeLimitS ?? 3600 });
    if (!opts.integer) model.options.set({ solver: 'ipm', run_crossover: 'on' });
    model.run();
    const raw = model.getModelStatus();
    const sol = model.getSolution();
    const hasSol = raw === 7 || ((raw === 13 || raw === 14 || raw === 17 || raw === 16) && sol.colValue.length === data.numCols && Number.isFinite(model.getObjectiveValue()) && opts.integer && Number(model.info.get('primal_solution_status')) === 2);
    const instances = new Float64Array(D);
    let assignment: Int32Array | null = null;
    let objective = NaN;
    if (hasSol) {
      for (let d = 0; d < D; d++) instances[d] = opts.integer ? Math.round(sol.colValue[n * k + d]) : sol.colValue[n * k + d];
      objective = model.getObjectiveValue();
      if (opts.integer) {
        assignment = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          let best = 0;
          for (let j = 1; j < k; j++) if (sol.colValue[i * k + j] > sol.colValue[i * k + best]) best = j;
          assignment[i] = best;
        }
      }
    }
    let bound = objective;
    let gap = 0;
    if (opts.integer) {
      bound = Number(model.info.get('mip_dual_bound'));
      gap = hasSol ? Math.max(0, (bound - objective) / Math.max(Math.abs(bound), 1e-12)) : Infinity;
    }
    const status: HighsAllocResult['status'] = raw === 7 ? 'optimal' : raw === 8 ? 'infeasible' : hasSol ? 'feasible' : raw === 13 ? 'timeout' : raw === 9 ? 'infeasible' : 'error';
    const result: HighsAllocResult = { status, rawStatus: raw, objective, bound, gap, instances, assignment, ms: performance.now() - t0 };
    if (!opts.integer && raw === 7) {
      const capDual = new Float64Array(p.groupCount * L.capped.length);
      for (let r = 0; r < capDual.length; r++) capDual[r] = Math.abs(sol.rowDual[L.capRow0 + r]);
      const inventoryDual = new Float64Array(p.gpuTypes.length);
      for (let t = 0; t < inventoryDual.length; t++) inventoryDual[t] = Math.abs(sol.rowDual[L.invRow0 + t]);
      result.lp = { instances: instances.slice(), capDual, knapsackDual: p.knapsack ? Math.abs(sol.rowDual[L.knapRow]) : 0, inventoryDual };
    }
    return result;
  } finally {
    model.dispose();
  }
}
