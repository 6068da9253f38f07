// policy.export's work up to the commit: the training rows read, the policy planned, its ONNX
// scorer built, signed, serialised and its gateway configs rendered, and (with a folder) the files
// staged beside it. A 20-member policy takes tens of seconds of CPU here, so the engine runs this
// in a worker thread (export-task.ts) and keeps only the commit (the row, the folder's rename);
// an in-memory workspace, which no other thread can open, runs the same code on the engine thread.
import type { KeyObject } from 'node:crypto';
import type { z } from 'zod';
import type { methods } from '../../../shared/contract';
import type { PolicyExportResult } from '../../../shared/contract/policy';
import { EngineError } from '../../../shared/errors';
import { selectRows, type LabelMatrix } from '../data/matrix';
import type { EncodeTexts } from '../features/sentence-encoder';
import type { JobContext } from '../jobs/context';
import { openPredictor, type FittedRouterPredictor } from '../predictor/api';
import { splitRows } from '../predictor/splits';
import { listCatalog } from '../store/catalog';
import type { Db } from '../store/database';
import { loadLabelMatrix } from '../store/datasets';
import { getPredictorRow } from '../store/predictors';
import { sha256Hex } from './canonical';
import { selectModels } from './columns';
import { commitExportFolder, stageExportFolder } from './export-folder';
import { faultPoint } from '../jobs/fault-point';
import { insertPolicy } from '../store/policies';
import type { Policy, PolicyModel } from './format';
import { policyFromTraining } from './from-training';
import { gatewayFormats } from './gateways';
import { resolveDeployment, type DeploymentFile } from './gateways/deployment';
import { bundledSignalEncoder } from './signal-thresholds';
import { policyText, sealPolicy, signPolicy } from './verify';

export type PolicyExportInput = z.output<(typeof methods)['policy.export']['input']>;

export const ONNX_FILE = 'scorer.onnx';
/** Every file an export folder may hold: an export replaces an earlier one's files, never others. */
export const EXPORT_FILES = ['policy.json', ...Object.values(gatewayFormats).map((g) => g.file), ONNX_FILE];

/**
 * The job's stages and the share of its bar each fills (measured on a 20-member RouterBench
 * policy): every stage says so when it starts, and the long ones report from inside.
 */
const STAGES = {
  load: [0, 0.15],
  predict: [0.15, 0.2],
  'task classifier': [0.2, 0.22],
  'task signals': [0.22, 0.55],
  build: [0.55, 0.65],
  onnx: [0.65, 0.85],
  sign: [0.85, 0.86],
  serialise: [0.86, 0.92],
  write: [0.92, 0.95],
  commit: [0.95, 1],
} as const;
export type ExportStage = keyof typeof STAGES;

/** Reports `fraction` (0..1) of `stage` as the job's fraction; checks for a cancel at every report. */
export type StageProgress = (stage: ExportStage, fraction: number, message?: string) => void;

export function stageProgress(ctx: JobContext): StageProgress {
  return (stage, fraction, message) => {
    const [lo, hi] = STAGES[stage];
    ctx.progress({ stage, fraction: lo + (hi - lo) * Math.min(1, Math.max(0, fraction)), message });
    ctx.check();
  };
}

/** What the engine thread needs of a built export: the row to insert and the result to answer. */
export interface BuiltExport {
  body: string;
  facts: PolicyFacts;
  /** Names of the files staged beside outDir (empty without outDir). */
  files: string[];
  warnings: string[];
}

/** The policy's figures the job's result and the policy list show (not its 100 MB of weights). */
export type PolicyFacts = Pick<PolicyExportResult, 'contentHash' | 'createdAt' | 'models' | 'strategy' | 'lambda' | 'budgetFraction' | 'mu' | 'trafficShare' | 'metrics'> & { version: number };

interface ExportSources {
  predictor: FittedRouterPredictor;
  train: LabelMatrix;
  representative: LabelMatrix;
  heldOut: boolean;
  catalog: Map<string, Omit<PolicyModel, 'id' | 'trafficShare'>>;
}

/**
 * Everything the export reads from the workspace (in one read transaction when called in one):
 * the predictor (built-in featuriser only: the router is a standalone pure-TypeScript forward pass
 * at tens of thousands of queries a second, where a sentence encoder would make it 500x slower),
 * the predictor's own split of the dataset when it was trained on it (predictor.train: 70/10/20 by
 * a recorded seed: statistics from its 80% fit rows, dual prices from the 20% it never saw; else
 * the whole dataset serves as both), and the catalog's prices.
 */
export function readExportSources(db: Db, input: PolicyExportInput, onStep: (step: string) => void = () => {}): ExportSources {
  const predictor = openPredictor(db, input.predictorId);
  onStep(`reading the dataset's rows for ${predictor.models.length} models`);
  const featurizer = String(predictor.spec().featurizer.kind);
  if (featurizer !== 'builtin-hash-tfidf') {
    throw new EngineError('INVALID_INPUT', `predictor ${input.predictorId} uses the "${featurizer}" featuriser; a routing policy carries the built-in one only: train a predictor for export with --featurizer builtin (in the app: Features "built-in n-grams (policies)")`, { field: 'predictorId', featurizer });
  }
  for (const m of Object.keys(input.capacity)) if (!predictor.models.includes(m)) throw new EngineError('INVALID_INPUT', `capacity: the predictor has no model "${m}"`, { field: 'capacity', model: m });
  const full = selectModels(loadLabelMatrix(db, input.datasetId), predictor.models);
  const row = getPredictorRow(db, input.predictorId);
  const seed = (row?.split as { seed?: unknown } | null)?.seed;
  const split = row?.datasetId === input.datasetId && typeof seed === 'number' ? splitRows(full.texts.length, seed) : null;
  const heldOut = !!split?.test.length;
  const train = heldOut ? selectRows(full, [...split!.train, ...split!.calibration]) : full;
  const representative = heldOut ? selectRows(full, split!.test) : full;
  onStep('reading the catalog');
  const prices = new Map(listCatalog(db).map((c) => [c.model, c]));
  const catalog = new Map(
    predictor.models.map((m) => {
      const c = prices.get(m);
      return [m, { priceInPerM: c?.priceInPerM ?? 0, priceOutPerM: c?.priceOutPerM ?? 0, gpuType: c?.gpuType ?? null, capacityPerBatch: input.capacity[m] ?? null, priceSource: c ? ('catalog' as const) : ('none' as const) }];
    }),
  );
  return { predictor, train, representative, heldOut, catalog };
}

export interface ExportEnv {
  createdAt: string;
  signingKey: KeyObject;
  /** How the bundled sentence encoder runs (the gateways' task-signal thresholds). */
  encode: EncodeTexts;
  progress: StageProgress;
}

/** Plans, seals, signs and serialises the policy; renders and stages its files when outDir is given. */
export async function buildExport(src: ExportSources, input: PolicyExportInput, env: ExportEnv): Promise<BuiltExport> {
  const { progress } = env;
  const onnxMode = input.onnx ?? (input.outDir ? 'file' : 'none');
  const planned = await policyFromTraining({
    name: input.name,
    dataset: `dataset ${input.datasetId}`,
    seed: 1,
    createdAt: env.createdAt,
    train: src.train,
    representative: src.representative,
    predictor: src.predictor,
    catalog: src.catalog,
    budgetFraction: input.budgetFraction,
    batchSize: input.batchSize,
    strategy: input.strategy,
    tau: input.tau,
    predictorWeight: input.predictorWeight,
    budgetConfidence: input.budgetConfidence,
    metrics: { predictorId: input.predictorId, datasetId: input.datasetId, heldOutRepresentative: src.heldOut ? 1 : 0 },
    // The training prompts are here, and not in a policy file.
    signalEncoder: bundledSignalEncoder(env.encode),
    progress: (stage, fraction, message) => progress(stage, fraction, message),
  });
  let scorer: Uint8Array | null = null;
  let unsigned = planned;
  if (onnxMode !== 'none') {
    progress('onnx', 0, `building the ONNX scorer of ${planned.predictor.heads.length} members`);
    ({ policy: unsigned, bytes: scorer } = await withOnnxScorer(planned, onnxMode, (f, m) => progress('onnx', f, m)));
  }
  // Signed last, over the final content (with the scorer's sha256): the workspace's key.
  progress('sign', 0);
  const policy = signPolicy(unsigned, env.signingKey);
  progress('serialise', 0, 'writing the policy as JSON');
  const body = policyText(policy);
  const warnings = priceWarnings(policy, input.deployment);
  const outputs: [string, string | Uint8Array][] = [];
  if (input.outDir) {
    outputs.push(['policy.json', body]);
    progress('serialise', 0.5, 'rendering the gateway configs');
    // Gateway configs need every model's provider, endpoint, key and price: without them the
    // policy is still written, and the warning says what the mapping lacks.
    try {
      const deployment = resolveDeployment(policy, input.deployment);
      for (const g of Object.values(gatewayFormats)) outputs.push([g.file, g.render(policy, deployment)]);
    } catch (err) {
      if (!(err instanceof EngineError) || err.code !== 'INVALID_INPUT') throw err;
      warnings.push(`gateway configs not written: ${err.message}; then run routeplan gateway-config --deployment FILE`);
    }
    if (scorer && onnxMode === 'file') outputs.push([ONNX_FILE, scorer]);
    progress('write', 0, `staging ${outputs.length} files beside ${input.outDir}`);
    stageExportFolder(input.outDir, outputs, { replaceable: EXPORT_FILES });
  }
  return { body, facts: policyFacts(policy), files: outputs.map(([f]) => f), warnings };
}

/**
 * The commit: the policy's row inserted in one transaction and, with a folder, the staged folder
 * swapped in once the row has committed (export-folder.ts), so a stop or crash never leaves a
 * half-written or mixed export. Inserting a 100 MB body takes seconds: the worker does it on its
 * own connection. Returns the row's id.
 */
export function storeExport(db: Db, input: PolicyExportInput, built: BuiltExport, check: () => void = () => {}): number {
  const insert = () =>
    db.transaction(() => {
      const n = insertPolicy(db, { name: input.name, formatVersion: built.facts.version, contentHash: built.facts.contentHash, body: built.body, createdAt: built.facts.createdAt });
      faultPoint('policy.insert');
      return n;
    }).immediate();
  return input.outDir ? commitExportFolder(input.outDir, built.files, insert, { check, replaceable: EXPORT_FILES }) : (check(), insert());
}

/**
 * The policy with its standalone ONNX scorer (loaded lazily: onnx-proto is only for export): the
 * scorer is built from the policy as planned and carries that policy's hash; the policy then
 * records the scorer's sha256 (embedded or alongside) and is sealed again.
 */
async function withOnnxScorer(policy: Policy, mode: 'file' | 'embed', progress: (fraction: number, message?: string) => void): Promise<{ policy: Policy; bytes: Uint8Array }> {
  const head = policy.predictor.heads[0];
  if (head.kind !== 'mlp-head') throw new EngineError('INVALID_INPUT', `an ONNX scorer can be exported only for MLP heads, not ${String(head.kind)}`);
  const { exportScorerOnnx } = await import('./onnx-scorer');
  const { contentHash, ...unsigned } = policy;
  const bytes = exportScorerOnnx(unsigned, contentHash);
  progress(0.6, `hashing the ONNX scorer (${Math.round(bytes.length / 1e6)} MB)`);
  const sha256 = sha256Hex(bytes);
  const onnx = mode === 'embed' ? { encoding: 'base64' as const, sha256, data: Buffer.from(bytes).toString('base64') } : { encoding: 'file' as const, sha256, path: ONNX_FILE };
  progress(0.7, 'sealing the policy with the scorer\'s hash');
  return { policy: sealPolicy({ ...unsigned, predictor: { ...unsigned.predictor, onnx } }, (step) => progress(0.85, step)), bytes };
}

export function policyFacts(p: Policy): PolicyFacts {
  return {
    version: p.version,
    contentHash: p.contentHash,
    createdAt: p.provenance.createdAt,
    models: p.models.map((m) => m.id),
    strategy: p.strategy.default,
    lambda: p.strategy.online.lambda,
    budgetFraction: p.provenance.budgetFraction,
    mu: p.strategy.online.mu,
    trafficShare: Object.fromEntries(p.models.map((m) => [m.id, m.trafficShare])),
    metrics: p.provenance.metrics,
  };
}

// Models the deployment mapping prices get their prices where a gateway reads them; the warning says so.
function priceWarnings(policy: Policy, deployment?: DeploymentFile): string[] {
  const unpriced = policy.models.filter((m) => m.priceSource === 'none').map((m) => m.id);
  const mapped = unpriced.filter((id) => deployment?.models[id]?.priceInPerM !== undefined);
  const none = unpriced.filter((id) => !mapped.includes(id));
  const derived = policy.models.filter((m) => m.priceSource === 'dataset-tokens').map((m) => m.id);
  return [
    ...(none.length ? [`no catalog prices for ${none.length} of ${policy.models.length} models (${none.join(', ')}) and no token counts in the dataset to derive them: the policy records price 0 (priceSource none); gateway configs take their prices from the deployment mapping (priceInPerM, priceOutPerM), or import a model catalog (routeplan import catalog.csv) and export again`] : []),
    ...(mapped.length ? [`no catalog prices for ${mapped.length} of ${policy.models.length} models (${mapped.join(', ')}): policy.json records price 0 (priceSource none); the gateway configs carry the deployment mapping's prices`] : []),
    ...(derived.length ? [`priced ${derived.join(', ')} from the dataset's realised cost per token (one blended rate for input and output; no catalog entry)`] : []),
  ];
}
