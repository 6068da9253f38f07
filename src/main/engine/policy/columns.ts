import { EngineError } from '../../../shared/errors';
import type { LabelMatrix } from '../data/matrix';

/** The matrix with its model columns in the given order; refuses a model the data lacks. */
export function selectModels(m: LabelMatrix, models: string[]): LabelMatrix {
  if (models.length === m.models.length && models.every((x, j) => x === m.models[j])) return m;
  const k = m.models.length;
  const cols = models.map((x) => {
    const j = m.models.indexOf(x);
    if (j < 0) throw new EngineError('INVALID_INPUT', `the dataset has no model "${x}" that the predictor scores`, { model: x });
    return j;
  });
  const n = m.texts.length;
  const K = cols.length;
  const pick = <T extends Float32Array | Float64Array>(src: T, dst: T): T => {
    for (let i = 0; i < n; i++) for (let c = 0; c < K; c++) dst[i * K + c] = src[i * k + cols[c]];
    return dst;
  };
  return { ...m, models: [...models], scores: pick(m.scores, new Float32Array(n * K)), costs: pick(m.costs, new Float64Array(n * K)), inputTokens: pick(m.inputTokens, new Float64Array(n * K)), outputTokens: pick(m.outputTokens, new Float64Array(n * K)) };
}
