import { z } from 'zod';
import { call, job } from './define';

/** Probability-quality figures on one split (ECE with 15 equal-width bins, pooled over pairs). */
export interface ProbabilityQuality {
  auc: number; // macro ROC-AUC over models
  ece: number;
  brier: number;
  pairs: number; // labelled query x model pairs measured
}

export interface ReliabilityBinData {
  lo: number;
  hi: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface ModelQuality {
  model: string;
  aucBefore: number | null;
  aucAfter: number | null;
  temperature: number; // of the first ensemble member
}

export interface PredictorMetrics {
  split: { seed: number; train: number; calibration: number; test: number };
  before: ProbabilityQuality; // test split, uncalibrated ensemble mean
  after: ProbabilityQuality; // test split, calibrated
  perModel: ModelQuality[];
  reliability: { before: ReliabilityBinData[]; after: ReliabilityBinData[] };
  /** Per-epoch history of the first member (the screen's training curve). */
  history: { epoch: number; loss: number; valLoss: number; valAuc: number }[];
  timings: Record<string, number>; // ms per stage
}

export interface PredictorSummary {
  id: number;
  name: string;
  datasetId: number;
  featurizer: string;
  estimator: string;
  ensemble: number;
  /** The rest of its training settings, so a face can train the same predictor with other features. */
  training: { seed: number; featureFraction: number; knnK: number | null };
  createdAt: string;
  testAuc: number | null;
  testEce: number | null;
}

export interface TrainResult extends PredictorSummary {
  metrics: PredictorMetrics;
}

export interface PredictionResult {
  predictorId: number;
  models: string[];
  /** One row per text: calibrated mean probability per model, and the ensemble's lower quantile. */
  rows: { p: number[]; lower?: number[] }[];
}

export const TrainInput = z
  .object({
    datasetId: z.number().int().positive().optional(),
    dataset: z.string().min(1).optional(), // id or name, for the CLI
    name: z.string().min(1).optional(),
    // hybrid (default): built-in n-grams + the bundled sentence encoder, the best predictions;
    // builtin: hashed n-grams alone, fast and what exported policies compute; use: the encoder
    // alone; onnx: a user-supplied encoder folder (docs/predictor.md)
    featurizer: z.enum(['hybrid', 'builtin', 'use', 'onnx']).default('hybrid'),
    encoder: z.string().min(1).optional(), // folder with model.onnx + tokenizer.json or vocab.txt
    estimator: z.enum(['mlp', 'knn', 'logreg']).default('mlp'),
    ensemble: z.number().int().min(1).max(200).default(20),
    // each member sees each feature column with this probability (random-subspace views); 1 = all
    featureFraction: z.number().gt(0).max(1).default(1),
    seed: z.number().int().nonnegative().default(1),
    knnK: z.number().int().positive().default(40),
  })
  .refine((v) => v.datasetId !== undefined || v.dataset !== undefined, { message: 'datasetId or dataset is required' })
  .refine((v) => v.featurizer !== 'onnx' || v.encoder !== undefined, { message: 'the onnx featurizer needs encoder (a folder)' });
export type TrainInput = z.input<typeof TrainInput>;

export const predictorMethods = {
  'predictor.train': job<TrainResult>()(TrainInput, 'Train, calibrate and store a predictor on a 70/10/20 split of a dataset (progress: epoch, loss, valAuc)'),
  'predictor.list': call<PredictorSummary[]>()(z.object({}), 'Stored predictors with their test AUC and ECE'),
  'predictor.get': call<TrainResult>()(z.object({ id: z.number().int().positive() }), 'One predictor with its metrics, per-model AUC and reliability data'),
  'predictor.delete': call<{ deleted: boolean }>()(z.object({ id: z.number().int().positive() }), 'Delete a stored predictor'),
  'predictor.predict': call<PredictionResult>()(
    z.object({ predictorId: z.number().int().positive(), texts: z.array(z.string()).min(1).max(100_000) }),
    'Calibrated success probabilities per model for the given query texts',
  ),
};
