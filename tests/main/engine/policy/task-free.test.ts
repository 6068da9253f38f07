import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../helpers/engine';
import type { Policy } from '../../../../src/main/engine/policy/format';
import { policyFromTraining } from '../../../../src/main/engine/policy/from-training';
import { realisedOutcome } from '../../../../src/main/engine/policy/labelled-outcome';
import { batchBudget, PolicyRouter } from '../../../../src/main/engine/policy/router';
import type { RouteQuery } from '../../../../src/main/engine/policy/queries';
import { trainRouterbenchPlanner, type TrainedPlanner } from './trained';

let planner: TrainedPlanner;
let policy: Policy;
const queries = (texts: string[], tasks: (string | null)[]): RouteQuery[] => texts.map((text, i) => ({ id: String(i), text, task: tasks[i], inputTokens: null, allowed: null }));

beforeAll(async () => {
  planner = await trainRouterbenchPlanner(1);
  policy = await policyFromTraining({ name: 'task-free', dataset: 'routerbench-train', seed: 1, createdAt: '2026-12-07T00:00:00.000Z', train: planner.train, predictor: planner.predictor, catalog: new Map(), budgetFraction: 0.3, batchSize: 100, strategy: 'online' });
});

describe('routing without a task label (the policy\'s task classifier)', () => {
  it('the policy carries a classifier trained with the predictor; held-out training prompts get their own task', () => {
    expect(policy.taskClassifier?.centroids.map((c) => c.task)).toEqual(['arc-challenge', 'mbpp', 'winogrande']);
    expect(policy.provenance.metrics.taskClassifierHeldOutAccuracy).toBeGreaterThanOrEqual(0.98);
    expect(policy.provenance.metrics.taskClassifierHeldOut).toBeGreaterThan(200);
  });

  it('RouterBench test without tasks: within 1 point of gpt-4-relative accuracy of route with tasks, and no more spend', () => {
    const router = new PolicyRouter(policy);
    const { test } = planner;
    const ref = 'gpt-4-1106-preview';
    for (const strategy of ['online', 'batch'] as const) {
      const withTasks = router.route(queries(test.texts, test.tasks), { strategy });
      const without = router.route(queries(test.texts, test.tasks.map(() => null)), { strategy });
      const a = realisedOutcome(test, withTasks.assignment, ref, 0.3);
      const b = realisedOutcome(test, without.assignment, ref, 0.3);
      expect(Math.abs(a.relativeAccuracy - b.relativeAccuracy), strategy).toBeLessThanOrEqual(0.01);
      expect(b.spend, strategy).toBeLessThanOrEqual(a.spend * 1.01);
      expect(without.tasks.filter((t, i) => t === test.tasks[i]).length / test.texts.length).toBeGreaterThanOrEqual(0.99);
      if (strategy === 'batch') {
        // Each batch of 100 keeps the policy's budget on the costs of the inferred tasks.
        const k = policy.models.length;
        for (let s = 0; s < test.texts.length; s += 100) {
          const n = Math.min(100, test.texts.length - s);
          if (without.decisions[s].fallback) continue;
          let spend = 0;
          for (let i = s; i < s + n; i++) spend += without.cost[i * k + without.assignment[i]];
          expect(spend).toBeLessThanOrEqual(batchBudget(policy, without.cost.subarray(s * k, (s + n) * k), n, router.modelIndex) * (1 + 1e-9));
        }
      }
    }
  });

  it('a task the client sends is used, even against the classifier; a prompt like no task gets the default rows', () => {
    const router = new PolicyRouter(policy);
    const mbpp = planner.test.texts[planner.test.tasks.indexOf('mbpp')];
    const r = router.route(queries([mbpp, mbpp, ''], ['winogrande', null, null]), { strategy: 'online' });
    expect(r.tasks).toEqual(['winogrande', 'mbpp', null]);
    const k = policy.models.length;
    const w = policy.decisionPrior!.weight;
    for (let j = 0; j < k; j++) {
      expect(r.p[j]).toBe(w * r.calibrated[j] + (1 - w) * policy.decisionPrior!.byTask.winogrande[j]!);
      expect(r.p[k + j]).toBe(w * r.calibrated[k + j] + (1 - w) * policy.decisionPrior!.byTask.mbpp[j]!);
      expect(r.p[2 * k + j]).toBe(w * r.calibrated[2 * k + j] + (1 - w) * policy.decisionPrior!.default[j]!);
    }
    if (policy.costModel.kind !== 'per-task') throw new Error('per-task cost model expected');
    expect(Array.from(r.cost.subarray(0, k))).toEqual(policy.costModel.byTask.winogrande);
    expect(Array.from(r.cost.subarray(k, 2 * k))).toEqual(policy.costModel.byTask.mbpp);
  });

  it.skipIf(!existsSync('/usr/bin/python3') && !process.env.CI)("the Python reference's task_index asks the scorer to infer (-1) for a query without task, and keeps a sent task's position", () => {
    const r = spawnSync('/usr/bin/python3', ['-c', 'import json, sys; from routeplan_features import task_index; p = json.load(sys.stdin); print(json.dumps([task_index(p, None), task_index(p, "mbpp"), task_index(p, "nope")]))'], { input: JSON.stringify(policy), encoding: 'utf8', env: { PYTHONPATH: join(repoRoot, 'reference/python'), PYTHONDONTWRITEBYTECODE: '1' }, maxBuffer: 64 << 20 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([-1, 1, 3]);
  });
});
