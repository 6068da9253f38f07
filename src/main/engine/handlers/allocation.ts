import { createHash } from 'node:crypto';
import { allocationFormSchema, type ExtendedForm, type PaperForm, type WorkspacePlan } from '../../../shared/contract/allocation';
import { encodeInWorker } from '../features/encoder-pool';
import { EngineError } from '../../../shared/errors';
import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';
import type { JobContext } from '../jobs/context';
import { fromExtendedForm, fromPaperForm, type AllocProblem } from '../allocation/problem';
import { instancesOut, solveAllocation, type RunTask } from '../allocation/solve';
import type { GpuSweepPoint } from '../allocation/gpu-sweep';
import { countsFromRows, evaluateWhatIf, prepareWhatIf, scaledProblem, type WhatIfContext } from '../allocation/whatif';
import { sampleRows, workspaceForm, type PredictedQuality } from '../allocation/workspace-form';
import { openPredictor } from '../predictor/api';
import { compareScenarios } from '../allocation/compare';
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

export function allocationHandlers(s: EngineServices): HandlerGroup<AllocationMethod> {
  // What-if contexts stay in memory between slider moves, keyed by a hash of their input.
  const contexts = new Map<string, WhatIfContext>();
  const context = (id: string) => {
    const c = contexts.get(id);
    if (!c) throw new EngineError('NOT_FOUND', `no what-if context ${id}: call whatif.prepare first`, { contextId: id });
    return c;
  };
  const runner = (ctx: JobContext): RunTask => (task, payload, timeoutMs) => s.inWorker(task, payload, ctx, { timeoutMs });
  const formFrom = async (input: { problem?: Record<string, unknown>; workspace?: WorkspacePlan }, ctx: JobContext): Promise<PaperForm | ExtendedForm> => {
    if (input.problem) return parseAllocationForm(input.problem);
    const w = input.workspace!;
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
    return workspaceForm(m, listCatalog(db), listDeployments(db), listInventory(db), w, predicted);
  };
  const extended = (f: PaperForm | ExtendedForm): ExtendedForm => {
    if (f.form !== 'extended') throw new EngineError('INVALID_INPUT', 'problem: what-if analysis needs the extended form (GPU types, deployments, traffic)', { field: 'problem.form' });
    return f;
  };
  return {
    'allocation.solve': async (input, ctx) => {
      const f = await formFrom(input, ctx);
      const p: AllocProblem = f.form === 'extended' ? fromExtendedForm(f) : fromPaperForm(f);
      return solveAllocation(p, runner(ctx), input);
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
        if (contexts.size >= 8) contexts.delete(contexts.keys().next().value!);
        contexts.set(contextId, prepareWhatIf(f));
      }
      const c = contexts.get(contextId)!;
      const p = c.problem;
      return {
        contextId,
        models: p.models,
        gpuTypes: p.gpuTypes,
        deployments: Array.from(p.dep.model, (j, d) => ({ model: p.models[j], gpuType: p.gpuTypes[p.dep.gpuType[d]].name, gpusPerInstance: p.dep.gpus[d], qpsPerInstance: p.dep.qps[d] })),
        sample: p.n,
        ms: performance.now() - t0,
        assumptions: planAssumptions(f, p, listCatalog(s.db()), input.workspace),
      };
    },
    'whatif.evaluate': (input) => {
      const c = context(input.contextId);
      return evaluateWhatIf(c, countsFromRows(c, input.instances), input.purchase, input.trafficQps);
    },
    'whatif.optimise': (input, ctx) => {
      const c = context(input.contextId);
      return solveAllocation(scaledProblem(c, input.purchase), runner(ctx), { solver: 'auto', timeLimitMs: input.timeLimitMs, mipGap: 0.01, compareUniform: true });
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
