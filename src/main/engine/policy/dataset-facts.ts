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
export const MAX_CHARS = 400;

/**
 * A prompt as its author wrote it: datasets such as RouterBench store each prompt as the text of
 * a Python list of strings (`['line one\\nline two']`), escapes and all. The list's strings are
 * read with Python's string escapes and joined by newlines; any other text is returned as is.
 */
export function cleanPrompt(raw: string): string {
  const s = raw.trim();
  if (!/^\[\s*['"]/.test(s) || !/['"]\s*\]$/.test(s)) return s;
  const parts: string[] = [];
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  let i = s.indexOf('[') + 1;
  while (i < s.length) {
    while (i < s.length && /[\s,]/.test(s[i])) i++;
    if (s[i] === ']') return parts.join('\n').trim();
    const quote = s[i];
    if (quote !== "'" && quote !== '"') return s;
    let out = '';
    for (i++; i < s.length && s[i] !== quote; i++) {
      if (s[i] === '\\' && i + 1 < s.length) out += escapes[s[++i]] ?? `\\${s[i]}`;
      else out += s[i];
    }
    if (i >= s.length) return s;
    parts.push(out);
    i++;
  }
  return s;
}

/**
 * The part of a prompt a signal compares: the whole cleaned prompt when short, else the question
 * asked: few-shot prompts share their opening examples and only their last block (after the last
 * blank line) tells two apart; cut to its last MAX_CHARS characters from a line (or word) boundary.
 */
export function promptTail(whole: string): string {
  if (whole.length <= MAX_CHARS) return whole;
  const block = whole.lastIndexOf('\n\n');
  const text = block >= 0 && whole.length - block > 40 ? whole.slice(block + 2).trim() : whole;
  if (text.length <= MAX_CHARS) return text;
  const tail = text.slice(-MAX_CHARS);
  const line = tail.indexOf('\n');
  if (line >= 0 && line < MAX_CHARS / 2) return tail.slice(line + 1).trim();
  const word = tail.search(/\s/);
  return (word >= 0 && word < 40 ? tail.slice(word + 1) : tail).trim();
}

/**
 * A few prompts per task for a gateway's embedding signal: cleaned (cleanPrompt), cut to their
 * tail (promptTail), de-duplicated after the cut, then taken at evenly spaced ranks of length so
 * that short and long phrasings are both represented; EXAMPLES distinct ones where the task has
 * them. Deterministic for a given dataset.
 */
export function taskExamples(m: LabelMatrix): Record<string, string[]> {
  const byTask = new Map<string, Set<string>>();
  m.tasks.forEach((t, i) => {
    const text = promptTail(cleanPrompt(m.texts[i]));
    if (t == null || !text) return;
    if (!byTask.has(t)) byTask.set(t, new Set());
    byTask.get(t)!.add(text);
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
