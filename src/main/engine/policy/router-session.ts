import type { Decision, PolicyRouter } from './router';
import { batchBudget } from './router';
import type { RouteQuery } from './queries';

export interface SessionDecision {
  decision: Decision;
  /** The task decided under, and where it came from. */
  task: string | null;
  taskSource: 'client' | 'inferred' | 'none';
  /** The online rule's choice would have broken the running budget: a cheaper model took it. */
  paced: boolean;
}

export interface BudgetState {
  requests: number;
  /** Σ estimated cost of the decisions so far (USD). */
  estimatedSpend: number;
  /** Σ the policy's per-query budget over the same requests (USD). */
  budget: number;
  /** Decisions moved to a cheaper model to keep the running budget. */
  paced: number;
}

/**
 * A long-running router's per-request decisions with budget state kept across requests. Each
 * request is decided by the policy's online rule (argmax p' − λc − μ); the session adds the
 * policy's budget for that query (its fraction of the reference model's estimated cost, or the
 * per-query USD) to a running allowance and never lets the running estimated spend pass it by
 * more than one batch's budget (`reserveQueries` x the mean per-query budget): when the rule's
 * choice would, the best model by the same score that still fits takes the request, else the
 * cheapest. So a stream of dear prompts cannot run away with the budget the plan assumed.
 */
export class RouterSession {
  private spent = 0;
  private allowance = 0;
  private requests = 0;
  private paced = 0;
  private readonly reserveQueries: number;

  constructor(
    readonly router: PolicyRouter,
    opts: { reserveQueries?: number } = {},
  ) {
    this.reserveQueries = opts.reserveQueries ?? router.policy.strategy.batch.batchSize;
  }

  decide(query: RouteQuery): SessionDecision {
    const r = this.router.route([query], { strategy: 'online' });
    const policy = this.router.policy;
    const k = this.router.k;
    const allowanceNow = batchBudget(policy, r.cost, 1, this.router.modelIndex);
    this.requests++;
    this.allowance += allowanceNow;
    const ceiling = this.allowance + (this.allowance / this.requests) * this.reserveQueries;
    let j = r.assignment[0];
    let paced = false;
    if (this.spent + r.cost[j] > ceiling) {
      const { lambda, mu } = policy.strategy.online;
      let best = -1;
      let cheapest = -1;
      for (let m = 0; m < k; m++) {
        if (query.allowed && !query.allowed.includes(m)) continue;
        if (cheapest < 0 || r.cost[m] < r.cost[cheapest]) cheapest = m;
        if (this.spent + r.cost[m] > ceiling) continue;
        if (best < 0 || r.p[m] - lambda * r.cost[m] - mu[m] > r.p[best] - lambda * r.cost[best] - mu[best]) best = m;
      }
      j = best >= 0 ? best : cheapest;
      paced = true;
      this.paced++;
    }
    this.spent += r.cost[j];
    const decision: Decision = { id: query.id, model: policy.models[j].id, probability: r.p[j], estimated_cost: r.cost[j], strategy: 'online' };
    const task = r.tasks[0];
    return { decision, task, taskSource: query.task != null ? 'client' : task != null ? 'inferred' : 'none', paced };
  }

  /**
   * A batch window's requests decided together by the policy's batch rule (the per-batch MIP
   * within the batch's budget, or its chance-constrained form), the batch's budget added to the
   * running allowance. The batch rule holds its own budget, so no pacing: a batch whose budget
   * cannot be met goes to the cheapest models (its decisions carry `fallback`).
   */
  decideBatch(queries: RouteQuery[]): SessionDecision[] {
    if (!queries.length) return [];
    const r = this.router.route(queries, { strategy: 'batch', batchSize: queries.length });
    const k = this.router.k;
    this.requests += queries.length;
    this.allowance += batchBudget(this.router.policy, r.cost, queries.length, this.router.modelIndex);
    return queries.map((q, i) => {
      this.spent += r.cost[i * k + r.assignment[i]];
      const task = r.tasks[i];
      return { decision: r.decisions[i], task, taskSource: q.task != null ? 'client' : task != null ? 'inferred' : 'none', paced: false };
    });
  }

  state(): BudgetState {
    return { requests: this.requests, estimatedSpend: this.spent, budget: this.allowance, paced: this.paced };
  }
}
