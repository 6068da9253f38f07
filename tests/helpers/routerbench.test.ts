import { describe, expect, it } from 'vitest';
import { readRouterbench, testFiles, trainFiles } from './routerbench';

describe('RouterBench test reader', () => {
  it('reads the published split sizes and the best model figure of the README', () => {
    const train = readRouterbench(trainFiles);
    const test = readRouterbench(testFiles);
    expect(train.texts.length).toBe(2225);
    expect(test.texts.length).toBe(953);
    expect(test.models.length).toBe(11);
    const j = test.models.indexOf('gpt-4-1106-preview');
    let acc = 0, cost = 0;
    for (let i = 0; i < 953; i++) {
      acc += test.scores[i * 11 + j] || 0;
      cost += test.costs[i * 11 + j] || 0;
    }
    expect(acc / 953).toBeCloseTo(0.874, 2);
    expect(cost).toBeCloseTo(4.8, 1);
  });
});
