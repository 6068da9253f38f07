import type { LabelMatrix } from '../data/matrix';
import { estimatedCosts, trainingStats } from '../evaluation/costs';
import type { FittedRouterPredictor } from '../predictor/api';
import { buildPolicy, costModelFromStats, type ExportInputs } from './export';
import type { Policy, PolicyModel, StrategyName } from './format';
import { datasetTokenPrices, taskCostVariance, taskExamples } from './dataset-facts';
import { decisionPriorFromStats } from './prior';
import { calibratedZ } from '../evaluation/cost-distribution';
import { normalQuantile } from '../routing/strategies/chance';
import { encodeFingerprint, sectionsFromPredictorSpec } from './scorer';
import { probeTexts } from './probes';
import { BuiltinFeaturizer } from '../features/builtin';
import { fitTaskClassifier } from './task-classifier';
import { measureTaskSignals, type SignalEncoder } from './signal-thresholds';

export interface TrainingExport {
  name: string;
  dataset: string;
  seed: number;
  createdAt: string;
  train: LabelMatrix;
  /** Traffic the dual prices are fitted on (default: train). Held-out queries give prices that
   *  suit new traffic better than the predictor's own (over-confident) training rows. */
  representative?: LabelMatrix;
  predictor: FittedRouterPredictor;
  /** Catalog entries per model (prices, per-batch capacity); a model absent is priced from the
   *  dataset's realised cost per token when it has token counts, else 0 with priceSource none. */
  catalog: Map<string, Omit<PolicyModel, 'id' | 'trafficShare'>>;
  budgetFraction: number;
  batchSize: number;
  strategy: StrategyName;
  tau?: number;
  /** The batch strategy's default guarantee: each batch budget holds with this probability on realised cost. */
  budgetConfidence?: number;
  /** Weight of p against its task's training accuracy in every decision (EvaluationSettings.predictorWeight; default 0.5). */
  predictorWeight?: number;
  metrics?: Record<string, number>;
  /** Encoder for choosing the gateways' task-signal thresholds on held-out training prompts
   *  (signal-thresholds.ts); without it the policy carries no thresholds and gateways use the
   *  deployment mapping's (or the default). */
  signalEncoder?: SignalEncoder;
  /** The ONNX head reference (embedded or alongside), when exported. */
  onnx?: NonNullable<Policy['predictor']['onnx']> | null;
  /** Where the work stands: each stage when it starts (0) and the long ones from inside. */
  progress?: (stage: 'predict' | 'task classifier' | 'task signals' | 'build', fraction: number, message?: string) => void;
}

/** Texts predicted per step of the export, so that it says how far it got (rows are independent). */
const PREDICT_CHUNK = 500;

/**
 * A policy from a training set and a fitted predictor, with the planner's own conventions: the
 * reference model is the one with the best training accuracy, estimated costs are per-task means
 * of realised training costs, the representative traffic is the training set unless given, the NDCH
 * hull is placed at training accuracy and mean cost, and decisions use p shrunk toward the training
 * accuracy of the query's task (the evaluation protocol's shrinkToTaskPrior, weight predictorWeight).
 */
export async function policyFromTraining(x: TrainingExport): Promise<Policy> {
  const { train } = x;
  const rep = x.representative ?? train;
  const progress = x.progress ?? (() => {});
  const stats = trainingStats(train);
  const p = await predictInChunks(x.predictor, rep.texts, (done) => progress('predict', done / rep.texts.length, `predicting representative queries: ${done} of ${rep.texts.length}`));
  const tokenPrices = datasetTokenPrices(train);
  const entry = (id: string, j: number): Omit<PolicyModel, 'id' | 'trafficShare'> => {
    const c = x.catalog.get(id) ?? { priceInPerM: 0, priceOutPerM: 0, capacityPerBatch: null, priceSource: 'none' as const };
    const rate = tokenPrices[j];
    return c.priceSource === 'none' && rate != null ? { ...c, priceInPerM: rate, priceOutPerM: rate, priceSource: 'dataset-tokens' } : c;
  };
  progress('task classifier', 0, `fitting the task classifier on ${train.texts.length} training prompts`);
  const classifier = taskClassifierOf(x);
  const examples = taskExamples(train);
  progress('task signals', 0, "choosing the gateways' task-signal thresholds on held-out training prompts");
  const taskSignals = x.signalEncoder && Object.keys(examples).length ? await measureTaskSignals(train, examples, x.signalEncoder, x.seed) : undefined;
  progress('build', 0, 'solving the dual prices on the representative traffic');
  const sections = sectionsFromPredictorSpec(x.predictor.spec());
  const inputs: ExportInputs = {
    name: x.name,
    models: train.models.map((id, j) => ({ id, ...entry(id, j) })),
    sections: withFingerprint(withOnnx(classifier ? { ...sections, taskClassifier: classifier.section } : sections, x.onnx ?? null), encodeFingerprint((await x.predictor.predict(probeTexts)).p)),
    costModel: { ...costModelFromStats(stats), variance: { ...taskCostVariance(train), sdScale: batchSdScale(train, x.budgetConfidence ?? 0.95, x.batchSize) } },
    representative: { n: rep.texts.length, p, cost: estimatedCosts(stats, rep), tasks: rep.tasks },
    decisionPrior: decisionPriorFromStats(stats, x.predictorWeight ?? 0.5),
    strategy: { default: x.strategy, budgetFraction: x.budgetFraction, referenceModel: train.models[stats.best], batchSize: x.batchSize, budgetConfidence: x.budgetConfidence, tau: x.tau, ndch: { stats, byGain: true, seed: x.seed } },
    provenance: { dataset: x.dataset, seed: x.seed, createdAt: x.createdAt, metrics: { ...(x.metrics ?? {}), ...(classifier ? { taskClassifierHeldOutAccuracy: Number(classifier.heldOutAccuracy.toPrecision(6)), taskClassifierHeldOut: classifier.heldOut } : {}) }, taskExamples: examples, ...(taskSignals ? { taskSignals } : {}) },
  };
  return buildPolicy(inputs, (step, fraction) => progress('build', fraction, step));
}

/** The predictor's calibrated probabilities, PREDICT_CHUNK texts at a time (the same numbers as one call). */
async function predictInChunks(predictor: FittedRouterPredictor, texts: string[], onChunk: (done: number) => void): Promise<Float32Array> {
  const p = new Float32Array(texts.length * predictor.models.length);
  onChunk(0);
  for (let at = 0; at < texts.length; at += PREDICT_CHUNK) {
    const chunk = await predictor.predict(texts.slice(at, at + PREDICT_CHUNK));
    p.set(chunk.p, at * predictor.models.length);
    onChunk(Math.min(texts.length, at + PREDICT_CHUNK));
  }
  return p;
}

/** The task classifier on the predictor's own built-in features (none for other featurisers or < 2 tasks). */
function taskClassifierOf(x: TrainingExport) {
  const spec = x.predictor.spec().featurizer as { kind: string };
  if (spec.kind !== 'builtin-hash-tfidf') return null;
  return fitTaskClassifier(BuiltinFeaturizer.fromSpec(spec).transform(x.train.texts), x.train.tasks);
}

function withOnnx<T extends { predictor: Policy['predictor'] }>(sections: T, onnx: NonNullable<Policy['predictor']['onnx']> | null): T {
  return onnx ? { ...sections, predictor: { ...sections.predictor, onnx } } : sections;
}

function withFingerprint<T extends { predictor: Policy['predictor'] }>(sections: T, fingerprint: NonNullable<Policy['predictor']['fingerprint']>): T {
  return { ...sections, predictor: { ...sections.predictor, fingerprint } };
}

/** How much wider than √(Σ variance) a batch's cost spread is, at the policy's confidence (≥ 1). */
function batchSdScale(train: LabelMatrix, confidence: number, batchSize: number): number {
  const z = normalQuantile(confidence);
  return Number((calibratedZ(train, confidence, batchSize, z, false) / z).toPrecision(6));
}
