// The HiGHS (WASM) adapter: the batch assignment as a MIP in sparse column form, solved with a
// time limit. It runs as the worker task 'routing.highs' because HiGHS ignores its own limit in
// presolve and the root LP: the parent terminates the worker at the hard limit.
import type { TaskContext } from '../jobs/tasks';
import { relativeGap, type BatchSolution } from './instance';

export interface HighsPayload {
  n: number;
  k: number;
  quality: Float64Array;
  cost: Float64Array;
  capacity: Float64Array; // Infinity = unlimited
  budget: number; // Infinity = none
  timeLimitS: number;
  relGap: number;
  /** Solve the LP relaxation only (its bound is the LP bound; the assignment is then not integral). */
  relaxation?: boolean;
}

export type HighsResult = Omit<BatchSolution, 'ms' | 'solver' | 'cost' | 'duals'> & { fractional?: Float64Array };

let highsPromise: Promise<any> | null = null;
async function loadHighs(): Promise<any> {
  if (!highsPromise) highsPromise = import('highs').then((m: any) => (m.default ?? m)());
  return highsPromise;
}

/** Builds and solves the MIP; variables x[i*k + j]; rows: n assignments, the budget, capacities. */
export async function solveWithHighs(payload: HighsPayload, ctx?: TaskContext): Promise<HighsResult> {
  const highs = await loadHighs();
  const { n, k, quality, cost, capacity, budget } = payload;
  const hasBudget = Number.isFinite(budget);
  const capRows: number[] = [];
  const capRowOf = new Int32Array(k).fill(-1);
  for (let j = 0; j < k; j++) if (Number.isFinite(capacity[j])) (capRowOf[j] = n + (hasBudget ? 1 : 0) + capRows.length), capRows.push(j);
  const numRows = n + (hasBudget ? 1 : 0) + capRows.length;
  const numCols = n * k;
  const starts = new Int32Array(numCols + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const col = i * k + j;
      starts[col] = indices.length;
      indices.push(i);
      values.push(1);
      if (hasBudget) indices.push(n), values.push(cost[col]);
      if (capRowOf[j] >= 0) indices.push(capRowOf[j]), values.push(1);
    }
  }
  starts[numCols] = indices.length;
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows);
  for (let i = 0; i < n; i++) (rowLower[i] = 1), (rowUpper[i] = 1);
  if (hasBudget) (rowLower[n] = -highs.infinity), (rowUpper[n] = budget);
  for (const j of capRows) (rowLower[capRowOf[j]] = -highs.infinity), (rowUpper[capRowOf[j]] = capacity[j]);
  const model = highs.createModel({
    numCols,
    numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: Float64Array.from(quality),
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(1),
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows, numCols, starts, indices: Int32Array.from(indices), values: Float64Array.from(values) },
    ...(payload.relaxation ? {} : { integrality: new Int32Array(numCols).fill(highs.constants.variableType.integer) }),
  });
  try {
    model.options.set({ output_flag: false, time_limit: payload.timeLimitS, mip_rel_gap: payload.relGap, random_seed: 1 });
    ctx?.progress('highs', 0.05);
    model.run();
    const st = model.getModelStatus();
    const S = highs.constants.modelStatus;
    if (st === S.infeasible || st === S.unboundedOrInfeasible) {
      return { status: 'infeasible', assignment: new Int32Array(n).fill(-1), objective: -Infinity, lpBound: -Infinity, gap: Infinity, reason: 'HiGHS proved the instance infeasible' };
    }
    const sol = model.getSolution();
    const colValue: Float64Array | undefined = sol?.colValue;
    const hasSolution = !!colValue && colValue.length === numCols && (st === S.optimal || readInfo(model, 'primal_solution_status') === 2);
    const assignment = new Int32Array(n).fill(-1);
    let objective = -Infinity;
    if (hasSolution) {
      objective = 0;
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (colValue![i * k + j] > colValue![i * k + best]) best = j;
        assignment[i] = best;
        objective += quality[i * k + best];
      }
    }
    const dualBound = payload.relaxation ? model.getObjectiveValue() : readInfo(model, 'mip_dual_bound');
    const lpBound = Number.isFinite(dualBound) ? dualBound : Infinity;
    const status: BatchSolution['status'] = st === S.optimal ? 'optimal' : st === S.timeLimit || st === S.interrupted ? 'timeout' : hasSolution ? 'feasible' : 'timeout';
    ctx?.progress('highs', 1);
    return {
      status,
      assignment,
      objective,
      lpBound,
      gap: hasSolution ? relativeGap(lpBound, objective) : Infinity,
      ...(payload.relaxation && colValue ? { fractional: Float64Array.from(colValue) } : {}),
      ...(status === 'timeout' ? { reason: `HiGHS stopped at its time limit of ${payload.timeLimitS} s` } : {}),
    };
  } finally {
    model.dispose();
  }
}

function readInfo(model: any, name: string): number {
  try {
    return Number(model.info.get(name));
  } catch {
    return NaN;
  }
}
