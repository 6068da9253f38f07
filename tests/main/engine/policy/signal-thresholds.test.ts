// Slow: encodes ~270 RouterBench prompts with the bundled sentence encoder (cached across files by ROUTEPLAN_ENCODER_CACHE).
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabelMatrix } from '../../../../src/main/engine/data/matrix';
import { cleanPrompt, promptTail, taskExamples } from '../../../../src/main/engine/policy/dataset-facts';
import type { TaskSignals } from '../../../../src/main/engine/policy/format';
import { bundledSignalEncoder, DEFAULT_EMBEDDING_THRESHOLD, heldOutPrompts, measureTaskSignals, sharesAtCommonThreshold, type SignalEncoder } from '../../../../src/main/engine/policy/signal-thresholds';
import { readRouterbench, trainFiles } from '../../../helpers/routerbench';

const SEED = 3;
let train: LabelMatrix;
let examples: Record<string, string[]>;
let measured: TaskSignals;
beforeAll(async () => {
  train = readRouterbench(trainFiles);
  examples = taskExamples(train);
  measured = await measureTaskSignals(train, examples, bundledSignalEncoder(), SEED);
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('task-signal thresholds on held-out RouterBench training prompts', () => {
  it('held-out prompts are never candidates, tuning and measuring sets are disjoint, and each is a prompt of its task', () => {
    const held = heldOutPrompts(train, examples, SEED);
    const candidates = new Set(Object.values(examples).flat());
    for (const task of Object.keys(examples)) {
      const own = new Set(train.texts.filter((_, i) => train.tasks[i] === task).map((t) => promptTail(cleanPrompt(t))));
      const tuning = new Set(held.tuning[task]);
      expect(held.tuning[task].length, task).toBe(40);
      expect(held.report[task].length, task).toBe(40);
      for (const text of [...held.tuning[task], ...held.report[task]]) {
        expect(candidates.has(text), text).toBe(false);
        expect(own.has(text), text).toBe(true);
      }
      for (const text of held.report[task]) expect(tuning.has(text), text).toBe(false);
    }
    // Seeded: the same seed gives the same sample, another seed another.
    expect(heldOutPrompts(train, examples, SEED)).toEqual(held);
    expect(heldOutPrompts(train, examples, SEED + 1).report).not.toEqual(held.report);
  });

  it('the chosen thresholds route at least as many held-out prompts to their own task as the fixed default does', () => {
    const tasks = Object.keys(examples);
    expect(Object.keys(measured.tasks)).toEqual(tasks);
    const atDefault = Object.fromEntries(tasks.map((t) => [t, sharesAtCommonThreshold(measured.tasks[t], DEFAULT_EMBEDDING_THRESHOLD)]));
    for (const t of tasks) {
      const m = measured.tasks[t];
      expect(m.heldOut, t).toBe(40);
      expect(m.ownSimilarity.length, t).toBe(m.heldOut);
      // Own wins: the router takes the task's decision (its signal fires and is the most similar).
      expect(m.ownWins, t).toBeGreaterThanOrEqual(atDefault[t].ownWins);
      expect(m.ownOnly + m.none, t).toBeLessThanOrEqual(1 + 1e-12);
    }
    // Lower thresholds make signals overlap more, so "own only" may fall for one task; not overall.
    expect(mean(tasks.map((t) => measured.tasks[t].ownOnly))).toBeGreaterThanOrEqual(mean(tasks.map((t) => atDefault[t].ownOnly)));
    expect(mean(tasks.map((t) => measured.tasks[t].ownWins))).toBeGreaterThan(mean(tasks.map((t) => atDefault[t].ownWins)));
  });

  it('a threshold is the lowest within the false-fire cap, and not below the lower of the default and what fires on all its own tuning prompts', async () => {
    // Two tasks on a toy encoder with known similarities to a's candidate; the cap (5%) over b's
    // 20 tuning prompts allows one of them to fire a's signal.
    const ex = { a: ['A0'], b: ['B0'] };
    const spread = await measureTaskSignals(toyMatrix([0.403, 0.953], [0.203, 0.753]), ex, toyEncoder, 1);
    const bToA = heldOutPrompts(toyMatrix([0.403, 0.953], [0.203, 0.753]), ex, 1).tuning.b.map(similarityOf).sort((x, y) => y - x);
    expect(spread.tasks.a.threshold).toBeCloseTo(Math.floor(bToA[1] * 100) / 100 + 0.01, 10);
    expect(spread.tasks.a.threshold).toBeGreaterThan(bToA[1]);
    expect(spread.tasks.a.threshold).toBeLessThanOrEqual(bToA[0] + 0.01);
    // b's prompts far from a's candidate: the cap allows any threshold, a's least similar tuning prompt sets it.
    const apart = toyMatrix([0.453, 0.953], [0.103, 0.303]);
    const aTuning = heldOutPrompts(apart, ex, 1).tuning.a.map(similarityOf);
    const r = await measureTaskSignals(apart, ex, toyEncoder, 1);
    expect(r.tasks.a.threshold).toBeCloseTo(Math.floor(Math.min(...aTuning) * 100) / 100, 10);
    expect(r.tasks.a.threshold).toBeLessThan(DEFAULT_EMBEDDING_THRESHOLD);
    expect(r.tasks.a.ownWins).toBeGreaterThan(0.9);
    expect(r.tasks.a.none).toBeLessThan(0.1);
    // ...but that floor never sets a threshold above the default: an unseen own prompt may sit lower.
    const close = await measureTaskSignals(toyMatrix([0.803, 0.953], [0.103, 0.303]), ex, toyEncoder, 1);
    expect(close.tasks.a.threshold).toBe(DEFAULT_EMBEDDING_THRESHOLD);
    expect(r.encoder).toBe('toy');
  });
});

const similarityOf = (prompt: string) => Number(prompt.split(' ')[1]);

/** 40 prompts "a <s> i" and 40 "b <s> i", s = the prompt's cosine to a's candidate, evenly over the given ranges. */
function toyMatrix(a: [number, number], b: [number, number]): LabelMatrix {
  const spread = (task: string, [lo, hi]: [number, number]) => Array.from({ length: 40 }, (_, i) => `${task} ${(lo + ((hi - lo) * i) / 39).toFixed(4)} ${i}`);
  const texts = [...spread('a', a), ...spread('b', b)];
  const n = texts.length;
  return { datasetId: null, models: ['m'], queryIds: texts.map((_, i) => `q${i}`), texts, tasks: texts.map((t) => t[0]), scores: new Float32Array(n), costs: new Float64Array(n), inputTokens: new Float64Array(n), outputTokens: new Float64Array(n) };
}

// 2-d unit vectors: A0 = (1, 0), B0 = (0, 1); a prompt at cosine s to A0 is (s, +-sqrt(1 - s^2)): b's lean toward B0, a's away from it.
const toyEncoder: SignalEncoder = {
  name: 'toy',
  embed: async (texts) => {
    const data = new Float32Array(texts.length * 2);
    texts.forEach((t, i) => {
      if (t === 'A0') data.set([1, 0], 2 * i);
      else if (t === 'B0') data.set([0, 1], 2 * i);
      else {
        const s = Number(t.split(' ')[1]);
        data.set(t[0] === 'a' ? [s, -Math.sqrt(1 - s * s)] : [s, Math.sqrt(1 - s * s)], 2 * i);
      }
    });
    return { dim: 2, data };
  },
};
