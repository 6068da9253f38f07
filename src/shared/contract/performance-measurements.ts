import { z } from 'zod';
import { call } from './define';

// Users' own serving measurements (issue 27 item 4): import benchmark files, list what is stored.

export const MeasurementImportInput = z.object({
  files: z.array(z.string().min(1)).min(1).max(100),
  /** For files that do not say their deployment (flags of `perf import`). */
  model: z.string().min(1).optional(),
  gpu: z.string().min(1).optional(),
  gpus: z.number().int().positive().optional(),
  tp: z.number().int().positive().optional(),
  precision: z.string().min(1).optional(),
  engine: z.string().min(1).optional(),
  /** For summary exports that do not record their load (GenAI-Perf / AIPerf CSV). */
  concurrency: z.number().positive().optional(),
  rate: z.number().positive().optional(),
});

export interface MeasurementStats {
  mean?: number;
  p50?: number;
  p90?: number;
  p99?: number;
}

/** What makes two measurements measurements of the same deployment. */
export interface MeasuredDeployment {
  model: string;
  gpu: string;
  gpus: number;
  tp: number;
  precision: string;
  engine: string;
}

/** One operating point's figures: shape, load (exactly one of the three), throughput, latency (ms). */
export interface MeasuredFigures {
  /** 1-based record (JSON object, CSV line) in its file. */
  record: number;
  inputTokens: number;
  outputTokens: number;
  concurrency?: number;
  rate?: number;
  maxThroughput?: boolean;
  outputTokensPerS: number;
  requestsPerS?: number;
  ttftMs: MeasurementStats;
  tpotMs: MeasurementStats;
  /** How figures were derived where not read directly (per-request percentiles, per-replica division). */
  notes: string[];
}

export interface MeasurementView extends MeasuredDeployment, MeasuredFigures {
  id: number;
  source: string;
  flags: string[];
  provenance: MeasurementFileView & { fileId: number };
}

export interface MeasurementFileView {
  fileName: string;
  sha256: string;
  layout: string;
  importedAt: string;
}

export interface MeasurementImportResult {
  file: string;
  fileName: string;
  sha256: string;
  layout: string;
  records: number;
  deployments: string[];
  flagged: number[];
}

export interface DeploymentMeasurementsView extends MeasuredDeployment {
  points: number;
  shapes: { inputTokens: number; outputTokens: number }[];
  concurrency: { min: number; max: number } | null;
  rate: { min: number; max: number } | null;
  maxThroughputPoints: number;
  files: MeasurementFileView[];
  flags: { id: number; source: string; flags: string[] }[];
  measurements: MeasurementView[];
}

export const performanceMeasurementMethods = {
  'performance.importMeasurements': call<MeasurementImportResult[]>()(MeasurementImportInput, 'Import benchmark result files (vLLM bench, GenAI-Perf, AIPerf, plain CSV) as measurements, in one transaction'),
  'performance.listMeasurements': call<DeploymentMeasurementsView[]>()(z.object({}), 'Stored measurements per deployment: points, shapes, load range, provenance, flags'),
};
