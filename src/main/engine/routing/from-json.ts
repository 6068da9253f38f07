// A JSON batch instance (solve-batch files, routing.solve) as typed arrays, and a solution back as JSON.
import type { BatchInstanceInput, SolveResult } from '../../../shared/contract/routing';
import { instanceFromRows, type BatchInstance, type BatchSolution } from './instance';

export function instanceFromInput(input: BatchInstanceInput): BatchInstance {
  const k = input.quality[0].length;
  return instanceFromRows(input.quality, input.cost, input.capacity ?? new Array(k).fill(null), input.budget == null ? Infinity : input.budget);
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function solutionToJson(s: BatchSolution): SolveResult {
  return {
    status: s.status,
    objective: finite(s.objective),
    lpBound: finite(s.lpBound),
    gap: finite(s.gap),
    cost: s.cost,
    assignment: Array.from(s.assignment),
    ...(s.duals ? { duals: { lambda: s.duals.lambda, mu: Array.from(s.duals.mu) } } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    solver: s.solver,
    ms: Math.round(s.ms * 10) / 10,
  };
}
