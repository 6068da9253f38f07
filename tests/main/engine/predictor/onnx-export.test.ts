import { describe, expect, it } from 'vitest';
import { readRouterbench, trainFiles, testFiles } from '../../../helpers/routerbench';
import { BuiltinFeaturizer } from '../../../../src/main/engine/features/builtin';
import { MlpHead } from '../../../../src/main/engine/predictor/mlp';
import { Calibrator } from '../../../../src/main/engine/calibration/calibrator';
import { exportHeadOnnx, runOnnxHead } from '../../../../src/main/engine/predictor/onnx-export';

describe('ONNX export of the head', () => {
  it('reproduces the TypeScript forward pass with temperatures within 1e-5 on RouterBench', async () => {
    const train = readRouterbench(trainFiles);
    const test = readRouterbench(testFiles);
    const f = BuiltinFeaturizer.fit(train.texts);
    const x = f.transform(train.texts);
    const head = new MlpHead({ seed: 3, maxEpochs: 2 }).fit({ x, y: train.scores }, null);
    const xt = f.transform(test.texts.slice(0, 300));
    const logits = head.logits(xt);
    const cal = Calibrator.fit(logits, test.scores.subarray(0, 300 * train.models.length), 300, train.models.length);
    expect(cal.state.temperatures.some((t) => Math.abs(t - 1) > 0.01)).toBe(true); // the temperatures matter

    const bytes = exportHeadOnnx(head, cal.state.temperatures);
    const out = await runOnnxHead(bytes, xt, 128);
    const expected = cal.scaled(logits);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(out.probabilities[i] - expected[i]));
    expect(out.probabilities.length).toBe(expected.length);
    expect(worst).toBeLessThan(1e-5);
    let worstLogit = 0;
    for (let i = 0; i < logits.length; i++) worstLogit = Math.max(worstLogit, Math.abs(out.logits[i] - logits[i]));
    expect(worstLogit).toBeLessThan(1e-4);
  }, 60_000);
});
