import { gpuCatalogWith, gpuSpec, loadGpuFile, modelArch } from './catalog/lookup';
import type { Deployment, GpuSpec, Precision, ServingEngine } from './types';

/** What a face sends to name a deployment (CLI flags, engine-method input). */
export interface DeploymentRequest {
  model: string;
  gpu: string;
  gpus: number;
  tp?: number;
  precision: Precision;
  kvPrecision?: Precision;
  engine: ServingEngine;
  contextTokens?: number;
  emulatePrecision?: boolean;
  gpuFile?: string;
}

/**
 * Resolves names against the catalogs (near-match errors) into a Deployment. GPU figures: the
 * built-in catalog, the workspace's specs laid over it, a GPU file over both.
 */
export function resolveDeployment(r: DeploymentRequest, workspaceGpus: GpuSpec[] = []): Deployment {
  const catalog = r.gpuFile || workspaceGpus.length ? gpuCatalogWith(workspaceGpus, r.gpuFile ? loadGpuFile(r.gpuFile) : []) : undefined;
  return {
    model: modelArch(r.model),
    gpu: gpuSpec(r.gpu, catalog),
    gpus: r.gpus,
    tp: r.tp ?? r.gpus,
    weightPrecision: r.precision,
    kvPrecision: r.kvPrecision ?? (r.precision === 'int4' ? 'fp16' : r.precision),
    engine: r.engine,
    ...(r.contextTokens ? { contextTokens: r.contextTokens } : {}),
    ...(r.emulatePrecision ? { emulatePrecision: true } : {}),
  };
}
