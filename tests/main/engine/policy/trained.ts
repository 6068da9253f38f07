import type { LabelMatrix } from '../../../../src/main/engine/data/matrix';
import { fitDefaultPredictor, type FittedRouterPredictor } from '../../../../src/main/engine/predictor/api';
import type { PredictorSections } from '../../../../src/main/engine/policy/export';
import { sectionsFromPredictorSpec } from '../../../../src/main/engine/policy/scorer';
import { readRouterbench, testFiles, trainFiles } from '../../../helpers/routerbench';

/** Approximate list prices (USD per 1M input / output tokens) of RouterBench's models, for the catalog. */
export const routerbenchPrices: Record<string, [number, number]> = {
  'gpt-4-1106-preview': [10, 30],
  'gpt-3.5-turbo-1106': [1, 2],
  'claude-v1': [8, 24],
  'claude-v2': [8, 24],
  'claude-instant-v1': [0.8, 2.4],
  'meta/llama-2-70b-chat': [0.9, 0.9],
  'mistralai/mixtral-8x7b-chat': [0.6, 0.6],
  'mistralai/mistral-7b-chat': [0.2, 0.2],
  'zero-one-ai/Yi-34B-Chat': [0.8, 0.8],
  'WizardLM/WizardLM-13B-V1.2': [0.3, 0.3],
  'meta/code-llama-instruct-34b-chat': [0.776, 0.776],
};

/** Self-hosted models get a per-batch capacity (batch of 100) so that μ has work to do. */
export const routerbenchCapacity: Record<string, number> = { 'mistralai/mixtral-8x7b-chat': 25, 'meta/llama-2-70b-chat': 15, 'zero-one-ai/Yi-34B-Chat': 20 };

export interface TrainedPlanner {
  train: LabelMatrix;
  test: LabelMatrix;
  predictor: FittedRouterPredictor;
  sections: PredictorSections;
  /** The planner's own prediction path. */
  predict(texts: string[]): Promise<Float32Array>;
}

/** The planner's default predictor (predictor/api.ts) on RouterBench's training files. */
export async function trainRouterbenchPlanner(seed = 1, ensemble = 1): Promise<TrainedPlanner> {
  const train = readRouterbench(trainFiles);
  const test = readRouterbench(testFiles);
  const predictor = await fitDefaultPredictor(train, { seed, ensemble });
  return { train, test, predictor, sections: sectionsFromPredictorSpec(predictor.spec()), predict: async (texts) => (await predictor.predict(texts)).p };
}
