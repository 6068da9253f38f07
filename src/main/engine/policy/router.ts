import { createRng, type Rng } from '../predictor/rng';
import { solveFast } from '../routing/lagrangian';
import type { BatchInstance } from '../routing/instance';
import { ndch, ndchP } from '../routing/strategies/ndch';
import { thresholdAssignment } from '../routing/strategies/threshold';
import { estimateCostVariance, estimateCosts } from './cost';
import { answerOf, chanceIterations, normalQuantile } from '../routing/strategies/chance';
import { EngineError } from '../../../shared/errors';
import type { Policy, StrategyName } from './format';
import type { RouteQuery } from './queries';
import { onlineRule, type Allowed } from './rules';
import { FusedScorer } from './fused-scorer';
import { blendWithTaskPrior } from './prior';
import { policyScorer, type Scorer } from './scorer';
import { BuiltinFeaturizer } from '../features/builtin';
import { TaskClassifier } from './task-classifier';

export interface Decision {
  id: string;
  model: string;
  /** The decision probability of the chosen model: calibrated p blended with the task prior. */
  probability: number;
  estimated_cost: number;
  strategy: StrategyName;
  /** Set when the batch solve found no feasible assignment and the cheapest models took the batch. */
  fallback?: string;
}

export interface RouteOptions {
  strategy?: StrategyName;
  /** Batch length for 'batch' and 'ndch' (default: the policy's batch size). */
  batchSize?: number;
  /** 'batch': hold each batch budget with this probability on realised cost (default: the policy's strategy.batch.budgetConfidence). */
  budgetConfidence?: number;
}

export interface RoutedBatch {
  assignment: Int32Array;
  /** Decision probabilities (n x k): w·p + (1 - w)·prior[task], or p when the policy has no prior. */
  p: Float64Array;
  /** The predictor's calibrated probabilities before the blend. */
  calibrated: Float32Array;
  cost: Float64Array;
  decisions: Decision[];
  /** The task each query was decided under: its own, else the policy's classifier's (null = default rows). */
  tasks: (string | null)[];
}

/**
 * The reference router: a verified policy applied to queries. Per query it uses the online
 * dual-price rule (or the threshold); 'batch' solves each batch of `batchSize` queries with the
 * planner's own fast solver under the policy's budget and per-batch capacities. Every strategy
 * sees the planner's decision probabilities: p blended with the policy's per-task prior.
 */
export class PolicyRouter {
  readonly k: number;
  readonly modelIndex: Map<string, number>;
  /** Which forward pass runs: the fused fast path or the predictor's general one. */
  readonly scorerName: string;
  private readonly rng: Rng;
  private readonly classifier: { tasks: TaskClassifier; featurizer: BuiltinFeaturizer } | null;

  constructor(
    readonly policy: Policy,
    private readonly scorer: Scorer = policyScorer(policy),
  ) {
    this.k = policy.models.length;
    this.scorerName = scorer instanceof FusedScorer ? 'fused (bit-identical fast path)' : 'predictor (general path)';
    this.modelIndex = new Map(policy.models.map((m, j) => [m.id, j]));
    this.rng = createRng(policy.strategy.ndch?.seed ?? 0);
    const tc = policy.taskClassifier;
    this.classifier = tc && policy.featurizer.kind === 'builtin-hash-tfidf' ? { tasks: new TaskClassifier(tc), featurizer: BuiltinFeaturizer.fromSpec(policy.featurizer.spec) } : null;
  }

  /**
   * The task each query is decided under: the client's label where it sent one, else the policy's
   * task classifier's on the prompt (policies without one: null, the '' or default rows as before).
   */
  inferTasks(queries: RouteQuery[]): (string | null)[] {
    const tasks = queries.map((q) => q.task);
    if (!this.classifier) return tasks;
    const missing = queries.flatMap((q, i) => (q.task == null ? [i] : []));
    if (!missing.length) return tasks;
    const inferred = this.classifier.tasks.classify(this.classifier.featurizer.transform(missing.map((i) => queries[i].text)));
    missing.forEach((i, r) => (tasks[i] = inferred[r]));
    return tasks;
  }

  /** Calibrated p and the task of every query: one featurisation on the fused path, whose features also classify. */
  private scoreAndTasks(given: RouteQuery[]): { calibrated: Float32Array; tasks: (string | null)[] } {
    const c = this.classifier;
    if (c && this.scorer instanceof FusedScorer && given.some((q) => q.task == null)) {
      const { p, sims } = this.scorer.scoreWithTaskSims(given.map((q) => q.text), c.tasks.denseTable(), c.tasks.tasks.length);
      const inferred = c.tasks.pick(sims, given.length);
      return { calibrated: p, tasks: given.map((q, i) => q.task ?? inferred[i]) };
    }
    return { calibrated: this.scorer.score(given.map((q) => q.text)), tasks: this.inferTasks(given) };
  }

  route(given: RouteQuery[], opts: RouteOptions = {}): RoutedBatch {
    const n = given.length;
    const { calibrated, tasks } = this.scoreAndTasks(given);
    const queries = given.map((q, i) => (q.task === tasks[i] ? q : { ...q, task: tasks[i] }));
    // Every strategy decides on the planner's blended probabilities (evaluation/costs.ts, shrinkToTaskPrior).
    const p = blendWithTaskPrior(this.policy.decisionPrior, calibrated, tasks, this.k);
    const cost = estimateCosts(this.policy.costModel, this.policy.models, queries);
    const strategy = opts.strategy ?? this.policy.strategy.default;
    const allowed: Allowed = queries.some((q) => q.allowed) ? queries.map((q) => q.allowed) : null;
    const assignment = new Int32Array(n);
    const fallback: (string | undefined)[] = new Array(n);
    const size = opts.batchSize ?? this.policy.strategy.batch.batchSize;
    const confidence = opts.budgetConfidence ?? this.policy.strategy.batch.budgetConfidence;
    const variance = strategy === 'batch' && confidence != null ? estimateCostVariance(this.policy.costModel, this.k, queries) : null;
    if (strategy === 'batch' && confidence != null && !variance) throw new EngineError('INVALID_INPUT', 'a budget confidence needs the cost variances of the policy (costModel.variance): export the policy again', { field: 'budgetConfidence' });
    for (let start = 0; start < n; start += strategy === 'batch' || strategy === 'ndch' ? size : n) {
      const end = strategy === 'batch' || strategy === 'ndch' ? Math.min(n, start + size) : n;
      const chance = variance && confidence != null ? { variance: variance.subarray(start * this.k, end * this.k), confidence } : null;
      const part = this.decideChunk(strategy, p.subarray(start * this.k, end * this.k), cost.subarray(start * this.k, end * this.k), end - start, allowed?.slice(start, end) ?? null, chance);
      assignment.set(part.assignment, start);
      if (part.fallback) for (let i = start; i < end; i++) fallback[i] = part.fallback;
    }
    const decisions = queries.map((q, i): Decision => {
      const j = assignment[i];
      const d: Decision = { id: q.id, model: this.policy.models[j].id, probability: p[i * this.k + j], estimated_cost: cost[i * this.k + j], strategy };
      if (fallback[i]) d.fallback = fallback[i];
      return d;
    });
    return { assignment, p, calibrated, cost, decisions, tasks };
  }

  private decideChunk(strategy: StrategyName, p: Float64Array, c: Float64Array, n: number, allowed: Allowed, chance: { variance: Float64Array; confidence: number } | null = null): { assignment: Int32Array; fallback?: string } {
    const s = this.policy.strategy;
    const k = this.k;
    const online = () => onlineRule(p, c, n, k, s.online.lambda, s.online.mu, allowed);
    if (strategy === 'online') return { assignment: online() };
    if (strategy === 'batch' && chance) return this.decideWithChance(p, c, n, allowed, chance.variance, chance.confidence);
    if (strategy === 'batch') {
      const sol = solveFast(this.batchInstance(p, c, n, allowed));
      // Like the planner: a batch whose budget cannot be met goes to the cheapest models.
      if (sol.status === 'infeasible' || sol.assignment[0] === -1) return { assignment: cheapest(c, n, k, allowed), fallback: sol.reason ?? sol.status };
      return { assignment: sol.assignment };
    }
    const ctx = { n, k, p: Float64Array.from(p), cost: Float64Array.from(c), capacity: this.policy.models.map((m) => m.capacityPerBatch), budget: Infinity, rng: this.rng };
    if (strategy === 'threshold') return { assignment: respectAllowed(thresholdAssignment(ctx, s.threshold?.tau ?? 0.5), allowed, online) };
    if (strategy === 'ndch') {
      const nd = s.ndch;
      if (!nd) return { assignment: online(), fallback: 'the policy has no NDCH hull' };
      const route = nd.byGain ? ndchP.route : ndch.route;
      const valStats = { accuracy: Float64Array.from(nd.accuracy), meanCost: Float64Array.from(nd.meanCost) };
      return { assignment: respectAllowed(route({ ...ctx, budget: batchBudget(this.policy, c, n, this.modelIndex), valStats }), allowed, online) };
    }
    throw new Error(`unknown strategy ${String(strategy)}`);
  }

  /**
   * The batch problem with its budget held with probability `confidence` (routing/strategies/chance.ts).
   * A batch whose budget cannot hold at that confidence goes to the cheapest models, and each of
   * its decisions says so (fallback): never a silent overspend.
   */
  private decideWithChance(p: Float64Array, c: Float64Array, n: number, allowed: Allowed, variance: Float64Array, confidence: number): { assignment: Int32Array; fallback?: string } {
    const inst = this.batchInstance(p, c, n, allowed);
    const cm = this.policy.costModel;
    const z = normalQuantile(confidence) * (cm.kind === 'per-task' && cm.variance ? cm.variance.sdScale : 1);
    const it = chanceIterations(inst.cost, variance, this.k, inst.budget, z, inst.quality);
    let first: { reason?: string; status: string } | null = null;
    let step = it.next(new Int32Array(0));
    while (!step.done) {
      const sol = solveFast({ ...inst, cost: step.value.cost, budget: step.value.budget });
      first ??= sol;
      step = it.next(answerOf(sol));
    }
    if (step.value.unsolvable) return { assignment: cheapest(c, n, this.k, allowed), fallback: first!.reason ?? first!.status };
    if (!step.value.feasible) return { assignment: cheapest(c, n, this.k, allowed), fallback: `the batch budget cannot hold with probability ${confidence}: the best plan found needs ${step.value.riskAdjustedSpend.toPrecision(4)} USD at mean + ${z.toFixed(3)} sd, over ${inst.budget.toPrecision(4)}` };
    return { assignment: step.value.assign };
  }

  /** The planner's batch problem for one batch: quality p, estimated cost, budget rule, capacities. */
  batchInstance(p: ArrayLike<number>, c: Float64Array, n: number, allowed: Allowed = null): BatchInstance {
    const k = this.k;
    const quality = Float64Array.from(p as ArrayLike<number>);
    if (allowed) {
      for (let i = 0; i < n; i++) {
        const a = allowed[i];
        if (!a) continue;
        const ok = new Uint8Array(k);
        for (const j of a) ok[j] = 1;
        for (let j = 0; j < k; j++) if (!ok[j]) quality[i * k + j] = -1e6;
      }
    }
    return { n, k, quality, cost: Float64Array.from(c), capacity: this.policy.models.map((m) => m.capacityPerBatch), budget: batchBudget(this.policy, c, n, this.modelIndex) };
  }
}

/** The batch budget of the policy's rule for n queries with estimated costs c. */
export function batchBudget(policy: Policy, c: ArrayLike<number>, n: number, modelIndex: Map<string, number>): number {
  const b = policy.strategy.batch.budget;
  if (b.kind === 'per-query') return b.usd * n;
  const k = policy.models.length;
  const j = modelIndex.get(b.model)!;
  let s = 0;
  for (let i = 0; i < n; i++) s += c[i * k + j];
  return b.fraction * s;
}

function cheapest(c: ArrayLike<number>, n: number, k: number, allowed: Allowed): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cand = allowed?.[i];
    let best = cand ? cand[0] : 0;
    for (let t = 0; t < (cand ? cand.length : k); t++) {
      const j = cand ? cand[t] : t;
      if (c[i * k + j] < c[i * k + best]) best = j;
    }
    out[i] = best;
  }
  return out;
}

function respectAllowed(a: Int32Array, allowed: Allowed, online: () => Int32Array): Int32Array {
  if (!allowed) return a;
  let alt: Int32Array | null = null;
  for (let i = 0; i < a.length; i++) {
    const al = allowed[i];
    if (al && !al.includes(a[i])) a[i] = (alt ??= online())[i];
  }
  return a;
}
