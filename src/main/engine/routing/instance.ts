// The batch assignment problem every routing solver speaks (formulations, sections 1–2):
//   max Σ p[i][k] x[i][k]  s.t.  Σ c x <= budget,  Σ_i x[i][k] <= capacity[k],  Σ_k x[i][k] = 1.
import { EngineError } from '../../../shared/errors';

export interface BatchInstance {
  n: number;
  k: number;
  quality: Float64Array; // n*k, row-major
  cost: Float64Array; // n*k, row-major, USD
  capacity: (number | null)[]; // k, null = unlimited
  budget: number; // Infinity = none
}

export interface BatchSolution {
  status: 'optimal' | 'feasible' | 'infeasible' | 'timeout';
  assignment: Int32Array; // n, model index; -1 only when infeasible (or no incumbent at a timeout)
  objective: number; // Σ quality of the chosen pairs
  lpBound: number; // a proven upper bound on the optimum (LP / Lagrangian dual, or HiGHS' dual bound)
  gap: number; // (lpBound - objective) / max(|lpBound|, 1e-12)
  cost: number; // Σ cost of the chosen pairs
  duals?: { lambda: number; mu: Float64Array }; // budget and capacity prices, for the online rule
  reason?: string;
  ms: number;
  solver: 'fast' | 'highs';
}

/** Slack allowed on the budget row for floating-point sums (relative). */
export const BUDGET_SLACK = 1e-9;

export function relativeGap(bound: number, objective: number): number {
  return Math.max(0, (bound - objective) / Math.max(Math.abs(bound), 1e-12));
}

/** Capacities as a Float64Array with Infinity for unlimited models (floored, never negative). */
export function capacityArray(inst: BatchInstance): Float64Array {
  const cap = new Float64Array(inst.k);
  for (let j = 0; j < inst.k; j++) {
    const c = inst.capacity[j];
    cap[j] = c == null || !Number.isFinite(c) ? Infinity : Math.max(0, Math.floor(c));
  }
  return cap;
}

/** Shape and value checks; throws INVALID_INPUT naming the field. */
export function checkInstance(inst: BatchInstance): void {
  const { n, k } = inst;
  const bad = (field: string, message: string) => {
    throw new EngineError('INVALID_INPUT', `${field}: ${message}`, { field });
  };
  if (!Number.isInteger(n) || n < 0) bad('n', 'must be a non-negative integer');
  if (!Number.isInteger(k) || k < 1) bad('k', 'must be a positive integer');
  if (inst.quality.length !== n * k) bad('quality', `expected ${n * k} entries, got ${inst.quality.length}`);
  if (inst.cost.length !== n * k) bad('cost', `expected ${n * k} entries, got ${inst.cost.length}`);
  if (inst.capacity.length !== k) bad('capacity', `expected ${k} entries, got ${inst.capacity.length}`);
  for (let t = 0; t < n * k; t++) {
    if (!Number.isFinite(inst.quality[t])) bad(`quality[${Math.floor(t / k)}][${t % k}]`, 'must be a finite number');
    if (!Number.isFinite(inst.cost[t]) || inst.cost[t] < 0) bad(`cost[${Math.floor(t / k)}][${t % k}]`, 'must be a finite non-negative number');
  }
  if (Number.isNaN(inst.budget) || inst.budget < 0) bad('budget', 'must be a non-negative number or Infinity');
}

/** A reason the instance has no feasible assignment that needs no optimisation to see, or null. */
export function obviousInfeasibility(inst: BatchInstance): string | null {
  const cap = capacityArray(inst);
  let total = 0;
  for (let j = 0; j < inst.k; j++) total += cap[j];
  if (total < inst.n) return `total capacity ${total} is below the ${inst.n} queries of the batch`;
  let cheapest = 0;
  for (let i = 0; i < inst.n; i++) {
    let m = Infinity;
    for (let j = 0; j < inst.k; j++) m = Math.min(m, inst.cost[i * inst.k + j]);
    cheapest += m;
  }
  if (cheapest > inst.budget * (1 + BUDGET_SLACK)) return `budget ${inst.budget} is below the cheapest possible assignment (${cheapest})`;
  return null;
}

export interface AssignmentCheck {
  objective: number;
  cost: number;
  loads: Int32Array;
  complete: boolean;
  withinBudget: boolean;
  withinCapacity: boolean;
}

/** Objective, spend and loads of an assignment, and whether it satisfies every constraint. */
export function checkAssignment(inst: BatchInstance, assignment: Int32Array): AssignmentCheck {
  const { n, k } = inst;
  const loads = new Int32Array(k);
  let objective = 0;
  let cost = 0;
  let complete = assignment.length === n;
  for (let i = 0; i < n && complete; i++) {
    const j = assignment[i];
    if (j < 0 || j >= k) {
      complete = false;
      break;
    }
    loads[j]++;
    objective += inst.quality[i * k + j];
    cost += inst.cost[i * k + j];
  }
  const cap = capacityArray(inst);
  let withinCapacity = true;
  for (let j = 0; j < k; j++) if (loads[j] > cap[j]) withinCapacity = false;
  const withinBudget = cost <= inst.budget * (1 + BUDGET_SLACK) + 1e-12;
  return { objective, cost, loads, complete, withinBudget, withinCapacity };
}

export function infeasibleSolution(inst: BatchInstance, reason: string, ms: number, solver: 'fast' | 'highs', lpBound = -Infinity): BatchSolution {
  return { status: 'infeasible', assignment: new Int32Array(inst.n).fill(-1), objective: -Infinity, lpBound, gap: Infinity, cost: 0, reason, ms, solver };
}

/** Builds an instance from per-model cost (K entries) or per-pair cost (N x K). */
export function instanceFromRows(quality: number[][], cost: number[][] | number[], capacity: (number | null)[], budget: number): BatchInstance {
  const n = quality.length;
  const k = n ? quality[0].length : capacity.length;
  const q = new Float64Array(n * k);
  const c = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      q[i * k + j] = quality[i][j];
      const row = cost[i];
      c[i * k + j] = Array.isArray(row) ? row[j] : (cost as number[])[j];
    }
  }
  return { n, k, quality: q, cost: c, capacity, budget };
}
