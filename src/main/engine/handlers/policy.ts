import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyExportResult, PolicyFileFormat, PolicyFormatInfo, PolicySummary } from '../../../shared/contract/policy';
import { encodeInWorker } from '../features/encoder-pool';
import { faultPoint, faultPointAsync } from '../jobs/fault-point';
import { EngineError } from '../../../shared/errors';
import type { HandlerGroup } from '../engine';
import { sha256Hex } from '../policy/canonical';
import { selectModels } from '../policy/columns';
import type { Policy } from '../policy/format';
import { policyFromTraining } from '../policy/from-training';
import { bundledSignalEncoder } from '../policy/signal-thresholds';
import { gatewayFormats } from '../policy/gateways';
import { parseDeployment, resolveDeployment, type DeploymentFile } from '../policy/gateways/deployment';
import { PolicyRouter } from '../policy/router';
import { policyText, readPolicy, sealPolicy, signPolicy } from '../policy/verify';
import { writeExportFolder } from '../policy/export-folder';
import { workspaceSigningKey } from '../policy/signing';
import { openPredictor, type PredictorSpec } from '../predictor/api';
import type { EngineServices } from '../services';
import { listCatalog } from '../store/catalog';
import { loadLabelMatrix } from '../store/datasets';
import { getPredictorRow } from '../store/predictors';
import type { Db } from '../store/database';
import { selectRows, type LabelMatrix } from '../data/matrix';
import { splitRows } from '../predictor/splits';
import { deletePolicy, getPolicy, insertPolicy, listPolicyHeads, type PolicyHead, type PolicyRecord } from '../store/policies';

type PolicyMethod = 'policy.formats' | 'policy.export' | 'policy.list' | 'policy.delete' | 'policy.preview' | 'policy.render';

const formats: PolicyFormatInfo[] = [
  { format: 'policy-json', title: 'routeplan policy (JSON, for routeplan route)', file: 'policy.json' },
  ...(Object.entries(gatewayFormats) as [Exclude<PolicyFileFormat, 'policy-json'>, (typeof gatewayFormats)[keyof typeof gatewayFormats]][]).map(([format, g]) => ({ format, title: g.title, file: g.file })),
];

function render(policy: Policy, format: PolicyFileFormat, deployment?: DeploymentFile): string {
  return format === 'policy-json' ? policyText(policy) : gatewayFormats[format].render(policy, resolveDeployment(policy, deployment));
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

function summary(rec: PolicyRecord, p: Policy): PolicySummary {
  return { id: rec.id, name: rec.name, formatVersion: rec.formatVersion, contentHash: rec.contentHash, createdAt: rec.createdAt, models: p.models.map((m) => m.id), strategy: p.strategy.default, lambda: p.strategy.online.lambda, budgetFraction: p.provenance.budgetFraction, bytes: rec.body.length };
}

const ONNX_FILE = 'scorer.onnx';

/**
 * The policy with its standalone ONNX scorer (loaded lazily: onnx-proto is only for export): the
 * scorer is built from the policy as planned and carries that policy's hash; the policy then
 * records the scorer's sha256 (embedded or alongside) and is signed again.
 */
async function withOnnxScorer(policy: Policy, mode: 'file' | 'embed'): Promise<{ policy: Policy; bytes: Uint8Array }> {
  const head = policy.predictor.heads[0];
  if (head.kind !== 'mlp-head') throw new EngineError('INVALID_INPUT', `an ONNX scorer can be exported only for MLP heads, not ${String(head.kind)}`);
  const { exportScorerOnnx } = await import('../policy/onnx-scorer');
  const { contentHash, ...unsigned } = policy;
  const bytes = exportScorerOnnx(unsigned, contentHash);
  const sha256 = sha256Hex(bytes);
  const onnx = mode === 'embed' ? { encoding: 'base64' as const, sha256, data: Buffer.from(bytes).toString('base64') } : { encoding: 'file' as const, sha256, path: ONNX_FILE };
  return { policy: sealPolicy({ ...unsigned, predictor: { ...unsigned.predictor, onnx } }), bytes };
}

/**
 * The predictor's own split when it was trained on this dataset (predictor.train: 70/10/20 by a
 * recorded seed): statistics from its 80% fit rows, dual prices from the 20% it never saw. Else
 * the whole dataset serves as both.
 */
function trainingAndHeldOut(db: Db, predictorId: number, datasetId: number, models: string[]): { train: LabelMatrix; representative: LabelMatrix; heldOut: boolean } {
  const full = selectModels(loadLabelMatrix(db, datasetId), models);
  const row = getPredictorRow(db, predictorId);
  const seed = (row?.split as { seed?: unknown } | null)?.seed;
  if (row?.datasetId !== datasetId || typeof seed !== 'number') return { train: full, representative: full, heldOut: false };
  const split = splitRows(full.texts.length, seed);
  if (!split.test.length) return { train: full, representative: full, heldOut: false };
  return { train: selectRows(full, [...split.train, ...split.calibration]), representative: selectRows(full, split.test), heldOut: true };
}

export function policyHandlers(s: EngineServices): HandlerGroup<PolicyMethod> {
  /** A stored policy, verified again: the router never runs on what it could not verify. */
  // A large policy (an ensemble of 20 heads is ~96 MB) takes seconds to read, parse and verify on
  // the main thread, where every other request waits: the verified policy and every summary are
  // kept by content hash, so the list, a preview and an export pay that once, not on every call.
  const verified = new Map<string, { rec: PolicyRecord; policy: Policy }>();
  const summaries = new Map<string, Omit<PolicySummary, 'id' | 'name' | 'createdAt'>>();
  const load = (id: number): { rec: PolicyRecord; policy: Policy } => {
    const rec = getPolicy(s.db(), id);
    if (!rec) throw new EngineError('NOT_FOUND', `no policy ${id}`, { id });
    // Keyed by the body's own digest (fast next to parsing), so a body changed behind our back is
    // read and verified again rather than served from memory.
    const key = createHash('sha1').update(rec.body).digest('hex');
    const hit = verified.get(key);
    if (hit) return { rec, policy: hit.policy };
    const loaded = { rec, policy: readPolicy(rec.body, `policy ${id}`) };
    if (verified.size >= 2) verified.delete(verified.keys().next().value!);
    verified.set(key, loaded);
    return loaded;
  };
  const summaryOf = (head: PolicyHead): PolicySummary => {
    let known = summaries.get(head.contentHash);
    if (!known) {
      const rec = getPolicy(s.db(), head.id)!;
      const { id: _id, name: _name, createdAt: _createdAt, ...rest } = summary(rec, JSON.parse(rec.body) as Policy);
      known = rest;
      summaries.set(head.contentHash, known);
    }
    return { ...known, id: head.id, name: head.name, createdAt: head.createdAt };
  };
  return {
    'policy.formats': () => formats,
    'policy.export': async (input, ctx) => {
      ctx.progress({ stage: 'load', fraction: 0 });
      const db = s.db();
      const predictor = openPredictor(db, input.predictorId, encodeInWorker(s, ctx));
      const featurizer = String(predictor.spec().featurizer.kind);
      // The router is a standalone pure-TypeScript forward pass at tens of thousands of queries a
      // second; a sentence encoder would make it a TensorFlow.js program 500x slower.
      if (featurizer !== 'builtin-hash-tfidf') {
        throw new EngineError('INVALID_INPUT', `predictor ${input.predictorId} uses the "${featurizer}" featuriser; a routing policy carries the built-in one only: train a predictor for export with --featurizer builtin (in the app: Features "built-in n-grams (policies)")`, { field: 'predictorId', featurizer });
      }
      const { train, representative, heldOut } = trainingAndHeldOut(db, input.predictorId, input.datasetId, predictor.models);
      for (const m of Object.keys(input.capacity)) if (!predictor.models.includes(m)) throw new EngineError('INVALID_INPUT', `capacity: the predictor has no model "${m}"`, { field: 'capacity', model: m });
      const catalog = new Map(listCatalog(db).map((c) => [c.model, { priceInPerM: c.priceInPerM, priceOutPerM: c.priceOutPerM, gpuType: c.gpuType }]));
      const models = new Map(
        predictor.models.map((m) => {
          const c = catalog.get(m);
          return [m, { priceInPerM: c?.priceInPerM ?? 0, priceOutPerM: c?.priceOutPerM ?? 0, gpuType: c?.gpuType ?? null, capacityPerBatch: input.capacity[m] ?? null, priceSource: c ? ('catalog' as const) : ('none' as const) }];
        }),
      );
      ctx.check();
      const onnxMode = input.onnx ?? (input.outDir ? 'file' : 'none');
      ctx.progress({ stage: 'plan', fraction: 0.2, message: `predicting ${train.texts.length} representative queries; choosing the gateways' task-signal thresholds on held-out training prompts` });
      const planned = await policyFromTraining({
        name: input.name,
        dataset: `dataset ${input.datasetId}`,
        seed: 1,
        createdAt: s.now().toISOString(),
        train,
        representative,
        predictor,
        catalog: models,
        budgetFraction: input.budgetFraction,
        batchSize: input.batchSize,
        strategy: input.strategy,
        tau: input.tau,
        predictorWeight: input.predictorWeight,
        budgetConfidence: input.budgetConfidence,
        metrics: { predictorId: input.predictorId, datasetId: input.datasetId, heldOutRepresentative: heldOut ? 1 : 0 },
        // The bundled encoder, in a worker: the training prompts are here, and not in a policy file.
        signalEncoder: bundledSignalEncoder(encodeInWorker(s, ctx)),
      });
      const scored = onnxMode === 'none' ? null : await withOnnxScorer(planned, onnxMode);
      // Signed last, over the final content (with the scorer's sha256): the workspace's key.
      const policy = signPolicy(scored?.policy ?? planned, workspaceSigningKey(s.workspacePath()));
      await faultPointAsync('policy.planned', ctx.signal);
      ctx.check();
      ctx.progress({ stage: 'write', fraction: 0.9 });
      const body = policyText(policy);
      const warnings = priceWarnings(policy, input.deployment);
      const outputs: [string, string | Uint8Array][] = [];
      if (input.outDir) {
        outputs.push(['policy.json', body]);
        // Gateway configs need every model's provider, endpoint, key and price: without them the
        // policy is still written, and the warning says what the mapping lacks.
        try {
          const deployment = resolveDeployment(policy, input.deployment);
          for (const g of Object.values(gatewayFormats)) outputs.push([g.file, g.render(policy, deployment)]);
        } catch (err) {
          if (!(err instanceof EngineError) || err.code !== 'INVALID_INPUT') throw err;
          warnings.push(`gateway configs not written: ${err.message}; then run routeplan gateway-config --deployment FILE`);
        }
      }
      if (input.outDir && scored && onnxMode === 'file') outputs.push([ONNX_FILE, scored.bytes]);
      const insert = () =>
        db.transaction(() => {
          const n = insertPolicy(db, { name: input.name, formatVersion: policy.version, contentHash: policy.contentHash, body, createdAt: policy.provenance.createdAt });
          faultPoint('policy.insert');
          return n;
        }).immediate();
      // The folder is staged beside its place and swapped in once the policy row has committed
      // (export-folder.ts): a stop or crash never leaves a half-written or mixed export.
      const id = input.outDir ? writeExportFolder(input.outDir, outputs, insert, { check: () => ctx.check(), replaceable: formats.map((f) => f.file).concat(ONNX_FILE) }) : (ctx.check(), insert());
      const files = outputs.map(([file]) => join(input.outDir!, file));
      const rec = getPolicy(db, id)!;
      const result: PolicyExportResult = {
        ...summary(rec, policy),
        mu: policy.strategy.online.mu,
        trafficShare: Object.fromEntries(policy.models.map((m) => [m.id, m.trafficShare])),
        metrics: policy.provenance.metrics,
        files,
        warnings,
      };
      return result;
    },
    'policy.list': () => listPolicyHeads(s.db()).map(summaryOf),
    'policy.delete': ({ id }) => ({ deleted: deletePolicy(s.db(), id) }),
    'policy.preview': ({ id, queries, strategy, batchSize }) => {
      const { policy } = load(id);
      const router = new PolicyRouter(policy);
      const k = policy.models.length;
      const routed = router.route(queries.map((q, i) => ({ id: String(i), text: q.text, task: q.task ?? null, inputTokens: null, allowed: null })), { strategy, batchSize });
      return routed.decisions.map((d, i) => ({
        text: queries[i].text,
        task: queries[i].task ?? null,
        model: d.model,
        probability: d.probability,
        estimatedCost: d.estimated_cost,
        probabilities: Array.from(routed.p.subarray(i * k, (i + 1) * k)),
      }));
    },
    'policy.render': ({ id, format, path, deployment, deploymentYaml }) => {
      const { policy } = load(id);
      const mapping = deployment ?? (deploymentYaml?.trim() ? parseDeployment(deploymentYaml, 'deployment mapping') : undefined);
      const text = render(policy, format, mapping);
      const file = formats.find((f) => f.format === format)!.file;
      if (path) writeFileSync(path, text);
      return { format, file, text, ...(path ? { path } : {}) };
    },
  };
}
