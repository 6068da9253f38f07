import type { LabelMatrix } from '../data/matrix';
import { SentenceEncoderFeaturizer, type EncodeTexts } from '../features/sentence-encoder';
import { createRng, permutation } from '../predictor/rng';
import { cleanPrompt, MAX_CHARS, promptTail } from './dataset-facts';
import type { TaskSignals } from './format';

/**
 * Thresholds of the gateway's per-task embedding signals (vLLM SR), chosen on training prompts the
 * signals do not hold as candidates. A signal fires when the highest cosine similarity between the
 * query and its candidates reaches its threshold; among the signals that fire, the most similar
 * wins (equal decision priorities). Per task, the threshold is the lowest (0.01 grid) at which the
 * signal fires on at most FALSE_FIRE_CAP of the other tasks' tuning prompts (lower fires on more of
 * its own and, past the cap, takes other tasks' and unrelated queries), and not below the lower of
 * its own tuning prompts' least similarity and the default (below that it gains nothing and only
 * fires more widely). The shares are then measured on a second, disjoint set of held-out prompts.
 */
export const DEFAULT_EMBEDDING_THRESHOLD = 0.6;
export const FALSE_FIRE_CAP = 0.05;
/** Held-out prompts per task (the first half chooses the threshold, the second measures it), fewer
 *  when there are many tasks: the export encodes them all, so their total stays bounded. */
const HELD_OUT_PER_TASK = 80;
const HELD_OUT_TOTAL = 4000;
const MIN_HELD_OUT_PER_TASK = 10;
const GRID = 100; // thresholds k / GRID, k = 1..GRID-1

/** A sentence encoder as the measurement uses it: rows of `dim` floats, one per text. */
export interface SignalEncoder {
  name: string;
  embed(texts: string[]): Promise<{ dim: number; data: Float32Array }>;
}

/**
 * routeplan's bundled sentence encoder (USE lite) reading whole candidates (400 characters, not
 * the predictor's 250-character tail): a dense encoder compared by cosine like the router's.
 */
export function bundledSignalEncoder(encode?: EncodeTexts): SignalEncoder {
  const f = SentenceEncoderFeaturizer.open({ tailChars: MAX_CHARS, encode });
  return {
    name: `routeplan's bundled sentence encoder ${f.spec().package} (Universal Sentence Encoder lite, 512-d)`,
    embed: async (texts) => {
      const x = await f.transform(texts);
      return { dim: x.dim, data: x.data };
    },
  };
}

export interface HeldOutPrompts {
  /** Per task: prompts the threshold is chosen on. */
  tuning: Record<string, string[]>;
  /** Per task: prompts the reported shares are measured on (disjoint from tuning). */
  report: Record<string, string[]>;
}

/**
 * Per task, distinct training prompts cut as the candidates are (cleanPrompt, promptTail: the
 * router's own model would read the shared few-shot preamble too, which tells no two prompts of a
 * task apart), never a candidate of any task, in a seeded random order; split in two halves.
 */
export function heldOutPrompts(train: LabelMatrix, examples: Record<string, string[]>, seed: number): HeldOutPrompts {
  const candidates = new Set(Object.values(examples).flat());
  const byTask = new Map<string, Set<string>>();
  train.tasks.forEach((t, i) => {
    if (t == null || !examples[t]) return;
    const text = promptTail(cleanPrompt(train.texts[i]));
    if (!text || candidates.has(text)) return;
    if (!byTask.has(t)) byTask.set(t, new Set());
    byTask.get(t)!.add(text);
  });
  const tuning: Record<string, string[]> = {};
  const report: Record<string, string[]> = {};
  const tasks = Object.keys(examples).sort();
  const perTask = Math.max(MIN_HELD_OUT_PER_TASK, Math.min(HELD_OUT_PER_TASK, Math.floor(HELD_OUT_TOTAL / tasks.length)));
  for (const t of tasks) {
    const texts = [...(byTask.get(t) ?? [])].sort();
    // One stream per task, so a task's sample does not change when another task is added.
    const order = permutation(texts.length, createRng(seed ^ hashTask(t)));
    const picked = Array.from(order.subarray(0, Math.min(perTask, texts.length)), (i) => texts[i]);
    const half = Math.ceil(picked.length / 2);
    tuning[t] = picked.slice(0, half);
    report[t] = picked.slice(half);
  }
  return { tuning, report };
}

function hashTask(t: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Similarities of each prompt to each task's signal: rows = prompts, columns = tasks (max cosine over candidates). */
interface Similarities {
  tasks: string[];
  rows: { task: string; s: Float64Array }[];
}

async function similarities(encoder: SignalEncoder, examples: Record<string, string[]>, prompts: Record<string, string[]>[]): Promise<Similarities[]> {
  const tasks = Object.keys(examples).sort();
  const cands = tasks.flatMap((t) => examples[t].map(() => t));
  const texts = [...tasks.flatMap((t) => examples[t]), ...prompts.flatMap((p) => tasks.flatMap((t) => p[t] ?? []))];
  const { dim, data } = await encoder.embed(texts);
  const unit = (r: number) => {
    const v = data.subarray(r * dim, (r + 1) * dim);
    let n = 0;
    for (let k = 0; k < dim; k++) n += v[k] * v[k];
    return Float64Array.from(v, (x) => x / (Math.sqrt(n) || 1));
  };
  const candVecs = cands.map((_, c) => unit(c));
  let at = cands.length;
  return prompts.map((p) => ({
    tasks,
    rows: tasks.flatMap((t) =>
      (p[t] ?? []).map(() => {
        const q = unit(at++);
        const s = new Float64Array(tasks.length).fill(-1);
        candVecs.forEach((c, ci) => {
          let d = 0;
          for (let k = 0; k < dim; k++) d += q[k] * c[k];
          const u = tasks.indexOf(cands[ci]);
          if (d > s[u]) s[u] = d;
        });
        return { task: t, s };
      }),
    ),
  }));
}

/** The threshold rule of the module comment, for task column u of the tuning similarities. */
function chooseThreshold(sim: Similarities, u: number): number {
  const task = sim.tasks[u];
  const own = sim.rows.filter((r) => r.task === task).map((r) => r.s[u]);
  const others = sim.rows.filter((r) => r.task !== task).map((r) => r.s[u]);
  let k = 1;
  while (k < GRID - 1 && others.filter((s) => s >= k / GRID).length > FALSE_FIRE_CAP * others.length) k++;
  // Below the lowest own tuning similarity a signal gains none of its own prompts and only fires
  // more widely (on traffic of no known task too); but this floor never exceeds the default (the
  // tuning minimum sits above some unseen own prompts): only the cap makes a threshold stricter.
  // float32 embeddings: a similarity on a grid value may come out 1e-7 below it.
  const defaultK = Math.round(DEFAULT_EMBEDDING_THRESHOLD * GRID);
  const floor = own.length ? Math.min(defaultK, Math.floor(Math.min(...own) * GRID + 1e-6)) : defaultK;
  return Math.min(GRID - 1, Math.max(k, floor, 1)) / GRID;
}

export interface SignalShares {
  heldOut: number;
  /** Own signal fires, no other does. */
  ownOnly: number;
  /** Own signal fires and is the most similar of those that fire: the router takes the task's decision. */
  ownWins: number;
  /** No signal fires: the default decision. */
  none: number;
}

/** Shares per task with per-task thresholds (every task's column decides what fires). */
function sharesAt(sim: Similarities, thresholds: number[]): Record<string, SignalShares> {
  const out: Record<string, SignalShares> = {};
  sim.tasks.forEach((task, u) => {
    const rows = sim.rows.filter((r) => r.task === task);
    let ownOnly = 0;
    let ownWins = 0;
    let none = 0;
    for (const { s } of rows) {
      const fired = thresholds.map((th, v) => s[v] >= th);
      const best = Math.max(...s.filter((_, v) => fired[v]));
      if (!fired.includes(true)) none++;
      else if (fired[u]) {
        if (fired.every((f, v) => !f || v === u)) ownOnly++;
        if (s[u] >= best) ownWins++;
      }
    }
    out[task] = shares(rows.length, ownOnly, ownWins, none);
  });
  return out;
}

const shares = (n: number, ownOnly: number, ownWins: number, none: number): SignalShares => ({
  heldOut: n,
  ownOnly: n ? ownOnly / n : 0,
  ownWins: n ? ownWins / n : 0,
  none: n ? none / n : 0,
});

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * The policy's task-signal section: per task the chosen threshold, the shares on the report
 * prompts at all the chosen thresholds, and per report prompt its own and best other similarity,
 * from which the shares at any one threshold for every task (a deployment override) follow.
 */
export async function measureTaskSignals(train: LabelMatrix, examples: Record<string, string[]>, encoder: SignalEncoder, seed: number): Promise<TaskSignals> {
  const held = heldOutPrompts(train, examples, seed);
  const [tune, report] = await similarities(encoder, examples, [held.tuning, held.report]);
  const thresholds = tune.tasks.map((_, u) => chooseThreshold(tune, u));
  const measured = sharesAt(report, thresholds);
  const tasks: TaskSignals['tasks'] = {};
  report.tasks.forEach((task, u) => {
    const rows = report.rows.filter((r) => r.task === task);
    tasks[task] = {
      threshold: thresholds[u],
      tuning: held.tuning[task].length,
      ...measured[task],
      ownSimilarity: rows.map((r) => round4(r.s[u])),
      otherSimilarity: rows.map((r) => round4(Math.max(-1, ...Array.from(r.s).filter((_, v) => v !== u)))),
    };
  });
  return { encoder: encoder.name, seed, falseFireCap: FALSE_FIRE_CAP, tasks };
}

/**
 * Shares of one task's report prompts when every signal has the same threshold: own fires alone
 * (own >= t > best other), own wins (own >= t and >= best other), none (both below t).
 */
export function sharesAtCommonThreshold(m: { ownSimilarity: number[]; otherSimilarity: number[] }, threshold: number): SignalShares {
  let ownOnly = 0;
  let ownWins = 0;
  let none = 0;
  m.ownSimilarity.forEach((own, i) => {
    const other = m.otherSimilarity[i];
    if (own >= threshold && other < threshold) ownOnly++;
    if (own >= threshold && own >= other) ownWins++;
    if (own < threshold && other < threshold) none++;
  });
  return shares(m.ownSimilarity.length, ownOnly, ownWins, none);
}
