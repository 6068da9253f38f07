import { z } from 'zod';
import { call, job } from './define';
import { DeploymentFile } from './deployment';

/** Export formats of a policy: the policy file itself and the gateway configs derived from it. */
export const PolicyFileFormat = z.enum(['policy-json', 'litellm', 'vllm-sr', 'envoy']);
export type PolicyFileFormat = z.infer<typeof PolicyFileFormat>;
export const RouteStrategy = z.enum(['online', 'threshold', 'ndch', 'batch']);

export interface PolicyFormatInfo {
  format: PolicyFileFormat;
  title: string;
  file: string; // suggested file name
}

export interface PolicySummary {
  id: number;
  name: string;
  formatVersion: number;
  contentHash: string;
  createdAt: string;
  models: string[];
  strategy: string;
  lambda: number;
  budgetFraction: number | null;
  bytes: number;
}

export interface PolicyExportResult extends PolicySummary {
  mu: number[];
  trafficShare: Record<string, number>;
  metrics: Record<string, number>;
  files: string[]; // written when outDir was given
  /** What the user should know about the export, e.g. models without catalog prices. */
  warnings: string[];
}

export interface PreviewDecision {
  text: string;
  task: string | null;
  model: string;
  probability: number;
  estimatedCost: number;
  /** Decision probability per model (calibrated p blended with the policy's task prior), in policy model order. */
  probabilities: number[];
}

export const policyMethods = {
  'policy.formats': call<PolicyFormatInfo[]>()(z.object({}), 'Export formats: the policy file and each gateway config'),
  'policy.export': job<PolicyExportResult>()(
    z.object({
      name: z.string().min(1),
      predictorId: z.number().int().positive(),
      datasetId: z.number().int().positive().describe('the predictor\'s dataset: cost estimates and NDCH hull from its fit rows, dual prices from its held-out rows'),
      budgetFraction: z.number().positive().max(10).default(0.3),
      batchSize: z.number().int().min(1).default(100),
      strategy: RouteStrategy.default('online'),
      tau: z.number().min(0).max(1).optional(),
      budgetConfidence: z.number().gt(0, 'budget confidence must be in (0, 1)').lt(1, 'budget confidence must be in (0, 1)').optional().describe('the batch strategy holds each batch budget with this probability on realised cost'),
      predictorWeight: z.number().min(0).max(1).default(0.5).describe('decisions use w·p + (1 - w)·training accuracy of the query\'s task, as the evaluation protocol (1 = p alone)'),
      capacity: z.record(z.string(), z.number().int().positive()).default({}).describe('per-batch capacity by model (self-hosted); absent = unlimited'),
      outDir: z.string().min(1).optional().describe('also write the policy and every gateway config into this directory'),
      deployment: DeploymentFile.optional().describe('where each model is served (provider, endpoint, key, price): needed for the gateway configs written with outDir'),
      onnx: z.enum(['none', 'file', 'embed']).optional().describe('the standalone ONNX scorer (features + task -> the decision probabilities): alongside as scorer.onnx (default with outDir), embedded base64, or none'),
    }),
    'Export a routing policy (dual prices, predictor, calibration, costs) from a stored predictor and dataset',
  ),
  'policy.list': call<PolicySummary[]>()(z.object({}), 'Exported policies in the workspace'),
  'policy.delete': call<{ deleted: boolean }>()(z.object({ id: z.number().int().positive() }), 'Delete a stored policy'),
  'policy.preview': call<PreviewDecision[]>()(
    z.object({
      id: z.number().int().positive(),
      queries: z.array(z.object({ text: z.string(), task: z.string().nullable().optional() })).min(1).max(500),
      strategy: RouteStrategy.optional(),
      batchSize: z.number().int().min(1).optional(),
    }),
    'Route sample queries with a stored policy (the reference router, verified)',
  ),
  'policy.render': call<{ format: PolicyFileFormat; file: string; text: string; path?: string }>()(
    z.object({
      id: z.number().int().positive(),
      format: PolicyFileFormat,
      path: z.string().min(1).optional(),
      deployment: DeploymentFile.optional(),
      deploymentYaml: z.string().max(1_000_000).optional().describe('the deployment mapping as the user wrote it (YAML); validated by the engine, errors name the field'),
    }),
    'A stored policy as a file of the given format (written to path when given)',
  ),
};
