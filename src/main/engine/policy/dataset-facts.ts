import type { LabelMatrix } from '../data/matrix';

/**
 * One blended USD-per-1M-token rate per model from the dataset's realised costs: Σ cost / Σ
 * (input + output tokens) over the rows that carry both. Null where no row does: a price is
 * never invented from a dataset without token counts.
 */
export function datasetTokenPrices(m: LabelMatrix): (number | null)[] {
  const k = m.models.length;
  const cost = new Float64Array(k);
  const tokens = new Float64Array(k);
  for (let t = 0; t < m.costs.length; t++) {
    const c = m.costs[t];
    const n = (Number.isFinite(m.inputTokens[t]) ? m.inputTokens[t] : 0) + (Number.isFinite(m.outputTokens[t]) ? m.outputTokens[t] : 0);
    if (!Number.isFinite(c) || n <= 0) continue;
    cost[t % k] += c;
    tokens[t % k] += n;
  }
  return Array.from(cost, (c, j) => (tokens[j] > 0 ? Number(((1e6 * c) / tokens[j]).toPrecision(6)) : null));
}

const EXAMPLES = 8;
const MAX_CHARS = 400;

/**
 * A few prompts per task for a gateway's embedding signal: the task's distinct texts sorted by
 * length and taken at evenly spaced ranks, so short and long phrasings are both represented;
 * deterministic for a given dataset.
 */
export function taskExamples(m: LabelMatrix): Record<string, string[]> {
  const byTask = new Map<string, Set<string>>();
  m.tasks.forEach((t, i) => {
    const text = m.texts[i].trim().replace(/\s+/g, ' ');
    if (t == null || !text) return;
    if (!byTask.has(t)) byTask.set(t, new Set());
    byTask.get(t)!.add(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text);
  });
  const out: Record<string, string[]> = {};
  for (const t of [...byTask.keys()].sort()) {
    const texts = [...byTask.get(t)!].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    const n = Math.min(EXAMPLES, texts.length);
    out[t] = Array.from({ length: n }, (_, r) => texts[Math.floor(((r + 0.5) * texts.length) / n)]);
  }
  return out;
}

/**
 * Per task and model, the sample variance of the realised cost per query (the spread around the
 * cost model's task means); the default row over all rows. Unknown (< 2 costs) = the model's
 * overall variance, else 0.
 */
export function taskCostVariance(m: LabelMatrix): { default: number[]; byTask: Record<string, number[]> } {
  const k = m.models.length;
  const acc = new Map<string, { n: Float64Array; s: Float64Array; ss: Float64Array }>();
  const row = (key: string) => {
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { n: new Float64Array(k), s: new Float64Array(k), ss: new Float64Array(k) }));
    return a;
  };
  const ALL = '\u0000all';
  m.tasks.forEach((t, i) => {
    for (let j = 0; j < k; j++) {
      const c = m.costs[i * k + j];
      if (!Number.isFinite(c)) continue;
      for (const a of [row(t ?? ''), row(ALL)]) (a.n[j] += 1), (a.s[j] += c), (a.ss[j] += c * c);
    }
  });
  const variance = (a: { n: Float64Array; s: Float64Array; ss: Float64Array }, fallback: number[] | null) =>
    Array.from(a.n, (n, j) => (n >= 2 ? Math.max(0, (a.ss[j] - (a.s[j] * a.s[j]) / n) / (n - 1)) : (fallback?.[j] ?? 0))).map((v) => Number(v.toPrecision(8)));
  const all = acc.get(ALL);
  const def = all ? variance(all, null) : new Array(k).fill(0);
  const byTask: Record<string, number[]> = {};
  for (const t of [...acc.keys()].filter((x) => x !== ALL).sort()) byTask[t] = variance(acc.get(t)!, def);
  return { default: def, byTask };
}
