import { describe, expect, it } from 'vitest';
import { FusedScorer } from '../../../../src/main/engine/policy/fused-scorer';
import { policyFromTraining } from '../../../../src/main/engine/policy/from-training';
import { policyScorer, predictorScorer } from '../../../../src/main/engine/policy/scorer';
import { fitDefaultPredictor } from '../../../../src/main/engine/predictor/api';
import { readRouterbench, testFiles, trainFiles } from '../../../helpers/routerbench';

describe('fused scorer', () => {
  it('is bit-identical to the predictor for a bootstrap ensemble, on real and odd texts', async () => {
    const train = readRouterbench([trainFiles[2]]);
    const test = readRouterbench([testFiles[2]]);
    const predictor = await fitDefaultPredictor(train, { seed: 4, ensemble: 3 });
    const policy = await policyFromTraining({ name: 'fused', dataset: 'winogrande', seed: 4, createdAt: '2026-11-24T00:00:00.000Z', train, predictor, catalog: new Map(), budgetFraction: 0.3, batchSize: 100, strategy: 'online' });
    const texts = [...test.texts, '', '   ', 'ÉCOLE école ÉCOLE 123 x', 'a a a a a a a a', '日本語のテキスト', '😀 emoji only', 'word '.repeat(400)];
    const want = (await predictor.predict(texts)).p;
    const fused = new FusedScorer(policy);
    expect(Array.from(fused.score(texts))).toEqual(Array.from(want));
    // A second pass (memoised tokens) gives the same numbers.
    expect(Array.from(fused.score(texts))).toEqual(Array.from(want));
    // The router takes the fast path only because it agrees with the predictor on the probes.
    expect(policyScorer(policy)).toBeInstanceOf(FusedScorer);
    // The ensemble is calibrated on its mean, and the policy carries that calibration.
    expect(policy.calibration.ensemble?.temperatures).toHaveLength(policy.models.length);
    // Without the section (a version 1 predictor), both paths average member-calibrated probabilities, still bit for bit.
    const v1 = { ...policy, calibration: { members: policy.calibration.members } };
    const general = predictorScorer(v1).score(texts);
    expect(Array.from(new FusedScorer(v1).score(texts))).toEqual(Array.from(general));
    expect(Array.from(general)).not.toEqual(Array.from(want));
  });
});
