import { createHash } from 'node:crypto';
import { allocationFormSchema, type ExtendedForm, type PaperForm, type WorkspacePlan, type DeploymentCount, type AllocationResult } from '../../../shared/contract/allocation';
import { encodeInWorker } from '../features/encoder-pool';
import { EngineError } from '../../../shared/errors';
import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import type { JobContext } from '../jobs/context';
import { fromExtendedForm, fromPaperForm, type AllocProblem } from '../allocation/problem';
import { instancesOut, solveAllocation, type RunTask } from '../allocation/solve';
import type { GpuSweepPoint } from '../allocation/gpu-sweep';
import { countsFromRows, evaluateWhatIf, prepareWhatIf, scaledProblem, type WhatIfContext } from '../allocation/whatif';
import { sampleRows, workspaceForm, type PerformanceLookup, type PredictedQuality } from '../allocation/workspace-form';
import type { OptionPerformance } from '../allocation/deployment-performance';
import { listMeasurements } from '../store/perf-measurements';
import { workspaceGpuSpecs } from '../performance/workspace-gpus';
import { openPredictor } from '../predictor/api';
import { compareScenarios } from '../allocation/compare';
import { busiestModel, HOURS_PER_MONTH, planBaselines } from '../allocation/baselines';
import { deleteScenario, listScenarios, saveScenario } from '../store/scenarios';
import { listCatalog, listDeployments, listInventory } from '../store/catalog';
import { planAssumptions } from './plan-assumptions';
import { datasetSummaries, loadLabelMatrix } from '../store/datasets';

type AllocationMethod = 'allocation.solve' | 'allocation.gpuSweep' | 'whatif.prepare' | 'whatif.evaluate' | 'whatif.optimise' | 'whatif.sweep' | 'scenarios.save' | 'scenarios.list' | 'scenarios.compare' | 'scenarios.delete';

/** Parses an allocation file's object with the schema its `form` picks; errors name the field. */
export function parseAllocationForm(raw: unknown): PaperForm | ExtendedForm {
  const schema = allocationFormSchema(raw);
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new EngineError('INVALID_INPUT', `allocation problem: ${issues.slice(0, 5).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, { issues, field: issues[0]?.path });
  }
  return r.data;
}

/** The plan's $/hour and $/month as the what-if screen computes them, and the baselines beside it. */
function withCostsAndBaselines(c: WhatIfContext, res: AllocationResult, purchase: Record<string, number>): AllocationResult {
  if (res.status !== 'infeasible') {
    const at = evaluateWhatIf(c, countsFromRows(c, res.instances as DeploymentCount[]), purchase);
    res.hourlyCost = at.hourlyCost;
    res.monthlyCost = at.hourlyCost * HOURS_PER_MONTH;
    res.busiest = busiestModel(at.models);
  }
  res.baselines = planBaselines(c, purchase);
  return res;
}

/** The extended form a workspace plan stands for: dataset sample, catalog, options sized by the performance model (in a worker), inventory. */
export async function workspaceExtendedForm(s: EngineServices, w: WorkspacePlan, ctx: JobContext): Promise<ExtendedForm> {
  const db = s.db();
  const datasetId = w.datasetId ?? datasetSummaries(db).at(-1)?.id;
  if (datasetId == null) throw new EngineError('NOT_FOUND', 'the workspace has no dataset to sample traffic from', {});
  const m = loadLabelMatrix(db, datasetId);
  let predicted: PredictedQuality | undefined;
  if (w.predictorId != null) {
    const rows = sampleRows(m.texts.length, w.sampleSize, w.seed);
    const pm = await openPredictor(db, w.predictorId, encodeInWorker(s, ctx)).predict(Array.from(rows, (i) => m.texts[i]));
    predicted = { models: pm.models, p: pm.p };
  }
  const catalog = listCatalog(db);
  const extra = listDeployments(db);
  const inventory = listInventory(db);
  // First pass only collects what the options' capacities depend on; a worker computes them.
  const asked: Parameters<PerformanceLookup>[] = [];
  workspaceForm(m, catalog, extra, inventory, w, predicted, (...a) => (asked.push(a), null));
  const answers = await s.inWorker<({ perf: OptionPerformance | null } | { error: { code: string; message: string } })[]>('allocation.optionPerformance', { asked, measured: listMeasurements(db), gpuSpecs: workspaceGpuSpecs(db) }, ctx, { timeoutMs: 600_000 });
  const byKey = new Map(asked.map((a, i) => [JSON.stringify(a), answers[i]]));
  return workspaceForm(m, catalog, extra, inventory, w, predicted, (...a) => {
    const hit = byKey.get(JSON.stringify(a));
    if (!hit) throw new EngineError('INTERNAL', `no capacity computed for ${a[0].model} on ${a[0].gpuType}`, {});
    if ('error' in hit) throw new EngineError(hit.error.code as 'INFEASIBLE', hit.error.message, { model: a[0].model, gpuType: a[0].gpuType });
    return hit.perf;
  });
}

export function allocationHandlers(s: EngineServices): HandlerGroup<AllocationMethod> {
  // What-if contexts stay in memory between slider moves, keyed by a hash of their input.
  const contexts = new Map<string, WhatIfContext>();
  const basePlans = new Map<string, Float64Array>();
  const context = (id: string) => {
    const c = contexts.get(id);
    if (!c) throw new EngineError('NOT_FOUND', `no what-if context ${id}: call whatif.prepare first`, { contextId: id });
    return c;
  };
  const runner = (ctx: JobContext): RunTask => (task, payload, timeoutMs) => s.inWorker(task, payload, ctx, { timeoutMs });
  const formFrom = async (input: { problem?: Record<string, unknown>; workspace?: WorkspacePlan }, ctx: JobContext): Promise<PaperForm | ExtendedForm> =>
    input.problem ? parseAllocationForm(input.problem) : workspaceExtendedForm(s, input.workspace!, ctx);
  const extended = (f: PaperForm | ExtendedForm): ExtendedForm => {
    if (f.form !== 'extended') throw new EngineError('INVALID_INPUT', 'problem: what-if analysis needs the extended form (GPU types, deployments, traffic)', { field: 'problem.form' });
    return f;
  };
  return {
    'allocation.solve': async (input, ctx) => {
      const f = await formFrom(input, ctx);
      const p: AllocProblem = f.form === 'extended' ? fromExtendedForm(f) : fromPaperForm(f);
      const res = await solveAllocation(p, runner(ctx), input);
      if (f.form === 'extended') {
        withCostsAndBaselines(prepareWhatIf(f), res, {});
        if (f.refusedDeployments.length) res.refusedDeployments = f.refusedDeployments;
      }
      return res;
    },
    'allocation.gpuSweep': async (input, ctx) => {
      const t0 = performance.now();
      const f = await formFrom(input, ctx);
      const p: AllocProblem = f.form === 'extended' ? fromExtendedForm(f) : fromPaperForm(f);
      const name = input.gpuType ?? (p.gpuTypes.length === 1 ? p.gpuTypes[0].name : undefined);
      if (name == null) throw new EngineError('INVALID_INPUT', `gpuType: the problem has ${p.gpuTypes.length} GPU types (${p.gpuTypes.map((g) => g.name).join(', ')}); name the one to sweep`, { field: 'gpuType' });
      const t = p.gpuTypes.findIndex((g) => g.name === name);
      if (t < 0) throw new EngineError('INVALID_INPUT', `gpuType: unknown GPU type "${name}" (the problem has ${p.gpuTypes.map((g) => g.name).join(', ')})`, { field: 'gpuType' });
      const perPoint = Math.max(500, Math.floor(input.timeLimitMs / input.gpus.length));
      const points = await s.inWorker<GpuSweepPoint[]>('allocation.gpuSweep', { problem: p, counts: input.gpus, gpuType: t, timeLimitMsPerPoint: perPoint, targetGap: input.mipGap }, ctx, { timeoutMs: perPoint * input.gpus.length + 30_000 });
      return { gpuType: name, points: points.map((x) => ({ ...x, instances: instancesOut(p, x.instances) })), ms: Math.round(performance.now() - t0) };
    },
    'whatif.prepare': async (input, ctx) => {
      const t0 = performance.now();
      const f = extended(await formFrom(input, ctx));
      const contextId = createHash('sha1').update(JSON.stringify(f)).digest('hex').slice(0, 16);
      if (!contexts.has(contextId)) {
        if (contexts.size >= 8) {
          const oldest = contexts.keys().next().value!;
          contexts.delete(oldest);
          basePlans.delete(oldest);
        }
        contexts.set(contextId, prepareWhatIf(f));
      }
      const c = contexts.get(contextId)!;
      const p = c.problem;
      return {
        contextId,
        models: p.models,
        gpuTypes: p.gpuTypes,
        deployments: Array.from(p.dep.model, (j, d) => ({ model: p.models[j], gpuType: p.gpuTypes[p.dep.gpuType[d]].name, gpusPerInstance: p.dep.gpus[d], qpsPerInstance: p.dep.qps[d], perf: c.form.deployments[d].perf ?? null })),
        workload: { inputTokens: c.form.inputTokens, outputTokens: Object.fromEntries(c.form.models.map((m, j) => [m, c.form.outputTokens[j]])) },
        slo: c.form.slo ?? null,
        refusedDeployments: c.form.refusedDeployments,
        sample: p.n,
        ms: performance.now() - t0,
        assumptions: planAssumptions(f, p, listCatalog(s.db()), input.workspace),
      };
    },
    'whatif.evaluate': (input) => {
      const c = context(input.contextId);
      return evaluateWhatIf(c, countsFromRows(c, input.instances), input.purchase, input.trafficQps);
    },
    'whatif.optimise': async (input, ctx) => {
      const c = context(input.contextId);
      const solve = (purchase: Record<string, number>, candidates: { label: string; instances: Float64Array }[]) =>
        solveAllocation(scaledProblem(c, purchase), runner(ctx), { solver: 'auto', timeLimitMs: input.timeLimitMs, mipGap: 0.01, compareUniform: true, candidates });
      const candidates: { label: string; instances: Float64Array }[] = [];
      if (input.instances) candidates.push({ label: 'current plan', instances: countsFromRows(c, input.instances) });
      // More GPUs never lower the optimum: the plan without the purchase (solved once per context)
      // stays feasible when GPUs are only added, so it is a candidate the result must match.
      const buys = Object.values(input.purchase).some((v) => v > 0);
      if (buys && Object.values(input.purchase).every((v) => v >= 0)) {
        let base = basePlans.get(input.contextId);
        if (!base) {
          base = countsFromRows(c, (await solve({}, candidates)).instances as DeploymentCount[]);
          basePlans.set(input.contextId, base);
        }
        candidates.push({ label: 'plan before the purchase', instances: base });
      }
      return withCostsAndBaselines(c, await solve(input.purchase, candidates), input.purchase);
    },
    'whatif.sweep': (input, ctx) => {
      const c = context(input.contextId);
      if (!c.problem.gpuTypes.some((g) => g.name === input.gpuType)) throw new EngineError('INVALID_INPUT', `gpuType: unknown GPU type "${input.gpuType}"`, { field: 'gpuType' });
      return s.inWorker('allocation.sweep', { form: c.form, gpuType: input.gpuType, maxBuy: input.maxBuy, steps: input.steps, timeLimitMs: input.timeLimitMs }, ctx, { timeoutMs: input.timeLimitMs + 30_000 });
    },
    'scenarios.save': (input) => saveScenario(s.db(), { name: input.name, kind: input.kind, input: input.input, result: input.result }, s.now()),
    'scenarios.list': (input) => listScenarios(s.db(), input.kind),
    'scenarios.compare': (input) => compareScenarios(s.db(), input.names),
    'scenarios.delete': (input) => ({ deleted: deleteScenario(s.db(), input.name) }),
  };
}
