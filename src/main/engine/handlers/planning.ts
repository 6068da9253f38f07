import { EngineError } from '../../../shared/errors';
import type { AllocationResult, DeploymentCount, ExtendedForm } from '../../../shared/contract/allocation';
import { WorkspacePlan } from '../../../shared/contract/allocation';
import { PlanFile } from '../../../shared/contract/planning';
import type { PlanCreateInput } from '../../../shared/contract/planning-methods';
import type { ReplayReportOut } from '../../../shared/contract/planning-report';
import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import { withinSpan, type JobContext } from '../jobs/context';
import { workspaceExtendedForm } from './allocation';
import { fromExtendedForm, type AllocProblem } from '../allocation/problem';
import { prepareGroups } from '../allocation/inner';
import { planValue } from '../allocation/polish';
import { solveAllocation, type PolishTaskResult, type RunTask } from '../allocation/solve';
import { planFromWorkspace } from '../planning/workspace';
import { replayWorkspacePlan, type ReplaySettings, type ReplayTaskPayload } from '../planning/replay-task';
import { latestDemandId } from '../demand';
import type { Workload } from '../planning/types';

type PlanningMethod = 'plan.create' | 'plan.replay';

export function planningHandlers(s: EngineServices): HandlerGroup<PlanningMethod> {
  const runner = (ctx: JobContext): RunTask => (task, payload, timeoutMs) => s.inWorker(task, payload, ctx, { timeoutMs });

  /** The design point: allocation.solve on the workspace at the traffic's lengths, then the objective. */
  const solveDesign = (input: PlanCreateInput, ctx: JobContext) => async (workload: Workload, trafficQps: number): Promise<{ result: AllocationResult; form: ExtendedForm }> => {
    const w = WorkspacePlan.parse({ trafficQps, datasetId: input.datasetId, predictorId: input.predictorId, sampleSize: input.sampleSize, seed: input.seed, slo: input.slo, engine: input.engine, precision: input.precision, workload });
    const form = await workspaceExtendedForm(s, w, ctx);
    const p = fromExtendedForm(form);
    if (input.objective === 'cost' && input.qualityFloor === 0) return cheapestDesign(p, form, ctx);
    const result = await solveAllocation(p, runner(ctx), { solver: 'auto', timeLimitMs: 60_000, mipGap: 1e-3 });
    if (input.objective === 'quality' || input.qualityFloor == null || result.status === 'infeasible') {
      if (input.objective === 'cost' && input.qualityFloor == null) throw new EngineError('INVALID_INPUT', 'objective cost needs --quality-floor (the quality the cheapest plan must keep)', { field: 'qualityFloor' });
      return { result, form };
    }
    const best = result.objective ?? 0;
    if (input.qualityFloor > best + 1e-9) throw new EngineError('INFEASIBLE', `no plan reaches quality ${input.qualityFloor}: the best reachable is ${best.toFixed(4)} (bound ${result.bound?.toFixed(4) ?? '?'})`, { binding: 'qualityFloor', bestQuality: best, bound: result.bound });
    // The cheapest plan that keeps the floor: the quality-first plan, then every cost cut that stays at or above it.
    const instances = Float64Array.from((result.instances as DeploymentCount[]).map((d) => d.count));
    const polished = await s.inWorker<PolishTaskResult | null>('allocation.polish', { problem: p, candidates: [{ label: 'solver', instances }], qualityTolerance: best - input.qualityFloor, timeLimitMs: 20_000 }, ctx, { timeoutMs: 60_000 });
    if (!polished) return { result, form };
    // Keyed by model name (a model may be called `constructor`): a null-prototype object, nothing inherited.
    const share: Record<string, number> = Object.create(null);
    for (let i = 0; i < p.n; i++) share[p.models[polished.assignment[i]]] = (share[p.models[polished.assignment[i]]] ?? 0) + 1 / p.n;
    const counts = (result.instances as DeploymentCount[]).map((d, x) => ({ ...d, count: polished.instances[x] }));
    return { result: { ...result, objective: polished.quality, instances: counts, share, message: `cheapest plan found with quality >= ${input.qualityFloor} (local search from the quality-first plan; no cost bound is certified)` }, form };
  };

  /**
   * The cheapest plan that serves the traffic: the same allocation with each query's quality
   * replaced by its model's cheapness (1 - $ per query / the dearest), so the solver's first stage
   * routes to the cheapest models the capacity allows and its second stage trims the fleet; the
   * quality it reports is that routing's under the real quality matrix.
   */
  const cheapestDesign = async (p: AllocProblem, form: ExtendedForm, ctx: JobContext): Promise<{ result: AllocationResult; form: ExtendedForm }> => {
    const perQuery = new Float64Array(p.n * p.k);
    const hosted = new Float64Array(p.k).fill(Infinity);
    for (let d = 0; d < p.dep.model.length; d++) hosted[p.dep.model[d]] = Math.min(hosted[p.dep.model[d]], p.dep.hourly[d] / Math.max(1e-12, p.dep.qps[d] * p.maxUtilisation * 3600));
    const queriesPerHourEach = ((p.trafficQps ?? 1) * 3600) / p.n;
    let dearest = 0;
    for (let i = 0; i < p.n; i++)
      for (let j = 0; j < p.k; j++) {
        const api = p.apiHourly ? p.apiHourly[i * p.k + j] / queriesPerHourEach : Infinity;
        const c = Math.min(hosted[j], p.hosted[j] ? Infinity : api);
        perQuery[i * p.k + j] = c;
        if (Number.isFinite(c)) dearest = Math.max(dearest, c);
      }
    const cheapness = Float64Array.from(perQuery, (c) => (Number.isFinite(c) ? 1 - c / Math.max(dearest, 1e-12) : 0));
    const byCost = await solveAllocation({ ...p, quality: cheapness }, runner(ctx), { solver: 'auto', timeLimitMs: 60_000, mipGap: 1e-3 });
    if (byCost.status === 'infeasible') return { result: byCost, form };
    // Its routing (the cheapness problem's assignment on that fleet), scored with the real quality.
    const cheap = { ...p, quality: cheapness };
    const value = planValue(cheap, prepareGroups(cheap), (byCost.instances as DeploymentCount[]).map((d) => d.count));
    if (!value.feasible) return { result: { ...byCost, status: 'infeasible', message: 'the cheapest fleet cannot be routed' }, form };
    let quality = 0;
    for (let i = 0; i < p.n; i++) quality += p.quality[i * p.k + value.inner.assignment[i]] / p.n;
    return { result: { ...byCost, objective: quality, bound: null, gap: null, message: 'the cheapest plan serving the traffic: the allocation on cheapness (each model\'s $ per query), its routing scored with the real quality' }, form };
  };

  return {
    'plan.create': async (input, ctx) => {
      const t0 = performance.now();
      const cheapest = input.compareCheapest && !(input.objective === 'cost' && input.qualityFloor === 0);
      const out = await planFromWorkspace(s.db(), input, solveDesign(input, ctx), cheapest ? withinSpan(ctx, [0, 0.6]) : ctx);
      if (cheapest) {
        // What the quality costs: the same traffic, SLO, mode and tiers with the cheapest routing
        // (no quality floor, no budget), planned the same way.
        const cheapInput: PlanCreateInput = { ...input, objective: 'cost', qualityFloor: 0, budgetMonth: null, compareCheapest: false };
        try {
          const cheap = await planFromWorkspace(s.db(), cheapInput, solveDesign(cheapInput, ctx), withinSpan(ctx, [0.6, 1]));
          out.plan.qualityPremium = { cheapestQuality: cheap.quality, cheapestMonthlyCost: cheap.plan.monthlyCost, premiumMonth: out.plan.monthlyCost - cheap.plan.monthlyCost, cheapestSloAttainment: cheap.plan.sloAttainment };
        } catch (e) {
          // The plan itself stands; a cheapest plan the inventory cannot hold is simply not reported.
          if (!(e instanceof EngineError) || e.code !== 'INFEASIBLE') throw e;
        }
      }
      return {
        plan: out.plan,
        quality: out.quality,
        objective: input.objective,
        design: out.design,
        sloAttainment: out.plan.sloAttainment,
        monthlyCost: out.plan.monthlyCost,
        ms: Math.round(performance.now() - t0),
      };
    },
    'plan.replay': async (input, ctx) => {
      const parsed = PlanFile.safeParse(input.plan);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new EngineError('INVALID_INPUT', `plan: ${issues.slice(0, 5).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, { issues, field: issues[0]?.path });
      }
      const plan = parsed.data;
      const missing = plan.deployments.findIndex((d) => !d.serving);
      if (missing >= 0) throw new EngineError('INVALID_INPUT', `plan: deployments.${missing} has no serving description (architecture, GPU, precision, engine), so its service model cannot be rebuilt; make the plan with routeplan plan`, { field: `deployments.${missing}.serving` });
      const settings: ReplaySettings = { demandId: input.demandId ?? latestDemandId(s.db()), scale: input.scale, hours: input.hours, seed: input.seed };
      const path = s.workspacePath();
      // An in-memory workspace (tests) cannot be opened from a worker thread: replay it here.
      if (path === ':memory:') return replayWorkspacePlan(s.db(), plan, settings, ctx);
      const payload: ReplayTaskPayload = { ...settings, workspacePath: path, plan };
      return s.inWorker<ReplayReportOut>('plan.replay', payload, ctx);
    },
  };
}
