// One batch under a budget that must hold with probability p on realised cost (routing.solve with
// budgetConfidence): the chance iterations of strategies/chance.ts driven by the batch solver, so
// each step keeps that solver's certified gap (of its linearised problem).
import { answerOf, normalQuantile, chanceIterations } from './strategies/chance';
import { solveBatch, type SolveBatchOptions } from './solve';
import type { BatchInstance, BatchSolution } from './instance';

export interface ChanceSolution extends BatchSolution {
  /** Σ μ + z √(Σ σ²) of the assignment: what the budget is held against. */
  riskAdjustedCost: number;
  budgetConfidence: number;
}

export async function solveWithChance(inst: BatchInstance, variance: Float64Array, confidence: number, opts: SolveBatchOptions): Promise<ChanceSolution> {
  const z = normalQuantile(confidence);
  const it = chanceIterations(inst.cost, variance, inst.k, inst.budget, z, inst.quality);
  const solutions = new Map<Int32Array, BatchSolution>();
  let last: BatchSolution | null = null;
  let step = it.next(new Int32Array(0));
  while (!step.done) {
    const s = await solveBatch({ ...inst, cost: step.value.cost, budget: step.value.budget }, opts);
    last = s;
    const answer = answerOf(s);
    if (answer) solutions.set(answer, s);
    step = it.next(answer);
  }
  const out = step.value;
  if (out.unsolvable) return { ...last!, riskAdjustedCost: NaN, budgetConfidence: confidence, reason: `budget ${inst.budget} USD cannot be met even on mean costs${last!.reason ? `: ${last!.reason}` : ''}` };
  const chosen = solutions.get(out.assign) ?? last!;
  const pct = `${(100 * confidence).toPrecision(3)}%`;
  if (!out.feasible) {
    return {
      ...chosen,
      status: 'infeasible',
      assignment: new Int32Array(inst.n).fill(-1),
      riskAdjustedCost: Number.isFinite(out.riskAdjustedSpend) ? out.riskAdjustedSpend : NaN,
      budgetConfidence: confidence,
      reason: `budget ${inst.budget} USD cannot hold with probability ${pct}: every assignment tried needs mean cost + ${z.toFixed(3)} sd${Number.isFinite(out.riskAdjustedSpend) ? ` (the least found: ${out.riskAdjustedSpend.toPrecision(6)} USD)` : ''} over it${chosen.reason ? `; ${chosen.reason}` : ''}`,
    };
  }
  let cost = 0;
  let objective = 0;
  for (let i = 0; i < inst.n; i++) (cost += inst.cost[i * inst.k + out.assign[i]]), (objective += inst.quality[i * inst.k + out.assign[i]]);
  return { ...chosen, assignment: out.assign, cost, objective, riskAdjustedCost: out.riskAdjustedSpend, budgetConfidence: confidence };
}
