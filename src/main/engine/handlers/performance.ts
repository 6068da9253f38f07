import type { HandlerGroup } from '../engine';
import type { EngineServices } from '../services';
import type { DeploymentView, ModelArchView } from '../../../shared/contract/performance';
import { measurementsAt, resolvePerformance } from '../performance/measurements/resolve';
import { concurrencyCurve } from '../performance/curve';
import { resolveDeployment } from '../performance/deployment';
import { modelCatalog } from '../performance/catalog/model-catalog';
import { gpuCatalogView, importGpuSpecs, removeGpuSpec, workspaceGpuSpecs } from '../performance/workspace-gpus';
import type { Deployment, Load } from '../performance/types';

type PerformanceMethod = 'performance.estimate' | 'performance.curve' | 'performance.models' | 'performance.gpus' | 'performance.importGpus' | 'performance.removeGpu';

function view(d: Deployment): DeploymentView {
  return { model: d.model.name, gpu: d.gpu.name, gpus: d.gpus, tp: d.tp, precision: d.weightPrecision, kvPrecision: d.kvPrecision, engine: d.engine, modelSource: d.model.source, gpuSource: d.gpu.source };
}

export function performanceHandlers(s: EngineServices): HandlerGroup<PerformanceMethod> {
  return {
    'performance.estimate'(input) {
      // GPU figures: the built-in catalog < the workspace's specs < a --gpu-file.
      const d = resolveDeployment(input, workspaceGpuSpecs(s.db()));
      const w = { inputTokens: input.inputTokens, outputTokens: input.outputTokens };
      const load: Load = input.concurrency !== undefined ? { concurrency: input.concurrency } : input.rate !== undefined ? { rate: input.rate } : { maxThroughput: true };
      const slo = input.ttftP90Ms !== undefined && input.tpotP90Ms !== undefined ? { ttftP90Ms: input.ttftP90Ms, tpotP90Ms: input.tpotP90Ms } : undefined;
      // The workspace's own measurements of this deployment win (measured > fitted > estimated).
      return { ...resolvePerformance(s.db(), d, w, load, slo), deployment: view(d) };
    },
    'performance.curve'(input) {
      const d = resolveDeployment(input, workspaceGpuSpecs(s.db()));
      const c = concurrencyCurve(d, { inputTokens: input.inputTokens, outputTokens: input.outputTokens }, input.points);
      return { deployment: view(d), ...c, source: 'estimated' as const, measured: measurementsAt(s.db(), d, { inputTokens: input.inputTokens, outputTokens: input.outputTokens }) };
    },
    'performance.models'() {
      return modelCatalog.map((m): ModelArchView => ({ ...m, kvMbPerToken: (2 * m.layers * m.kvHeads * m.headDim * 2) / 1e6 }));
    },
    'performance.gpus'(input) {
      return gpuCatalogView(s.db(), input.gpuFile);
    },
    'performance.importGpus'(input) {
      return importGpuSpecs(s.db(), input.file, s.now());
    },
    'performance.removeGpu'(input) {
      return removeGpuSpec(s.db(), input.name);
    },
  };
}
