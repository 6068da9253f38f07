import type { CatalogEntry, ExtendedForm, WorkspacePlan } from '../../../shared/contract';
import type { PlanAssumptions } from '../../../shared/contract/plan-assumptions';
import type { AllocProblem } from '../allocation/problem';

/**
 * The plan's inputs as a planner reads them: tokens per query, each deployment's instance profile
 * and throughput, and where each figure came from. Read off the form and problem the plan was
 * built from, so that what is shown is what was used.
 */
export function planAssumptions(f: ExtendedForm, p: AllocProblem, catalog: CatalogEntry[], plan: WorkspacePlan | undefined): PlanAssumptions {
  const byModel = new Map(catalog.map((c) => [c.model, c]));
  const qualitySource = !plan
    ? 'the allocation file’s quality matrix'
    : plan.predictorId != null
      ? `calibrated probabilities of predictor #${plan.predictorId}`
      : 'per-task accuracy of each model on the traffic dataset’s labels (no predictor)';
  const hosted = new Set(f.deployments.map((d) => d.model));
  // The problem's deployment index of a (model, GPU type), for the throughput the plan used.
  const qpsOf = (model: string, gpuType: string) => {
    for (let x = 0; x < p.dep.qps.length; x++) if (p.models[p.dep.model[x]] === model && p.gpuTypes[p.dep.gpuType[x]].name === gpuType) return p.dep.qps[x];
    return Number.NaN;
  };
  return {
    qualitySource,
    slo: f.slo ?? null,
    inputTokensPerQuery: f.inputTokens,
    models: f.models.map((model, j) => ({
      model,
      outputTokensPerQuery: f.outputTokens[j],
      outputTokensSource: plan && f.outputTokens[j] === plan.defaultOutputTokens ? 'default' : 'dataset',
      hosted: hosted.has(model),
      rateLimitQps: f.apiModels?.find((a) => a.model === model)?.rateLimitQps ?? null,
    })),
    deployments: f.deployments.map((d) => ({
      model: d.model,
      gpuType: d.gpuType,
      gpusPerInstance: d.gpusPerInstance,
      slotsPerInstance: d.slotsPerInstance ?? d.perf?.maxConcurrency ?? null,
      decodeTokensPerS: d.qpsPerInstance != null ? null : (d.decodeTokensPerS ?? null),
      prefillTokensPerS: d.qpsPerInstance != null ? null : (d.prefillTokensPerS ?? null),
      qpsPerInstance: qpsOf(d.model, d.gpuType),
      capacitySource: d.perf?.source ?? (d.qpsPerInstance != null ? 'estimated' : 'typed'),
      memory: d.perf?.weightsGb != null && d.perf.kvCacheGb != null && d.perf.usableGb != null ? { weightsGb: d.perf.weightsGb, kvCacheGb: d.perf.kvCacheGb, usableGb: d.perf.usableGb } : null,
      source: byModel.get(d.model)?.gpuType === d.gpuType ? 'catalog' : 'deployment option',
    })),
  };
}
