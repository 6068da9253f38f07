import type { LabelMatrix } from '../data/matrix';

/** What routing a labelled set actually spent and scored (realised cost and correctness). */
export interface RealisedOutcome {
  n: number;
  /** Σ realised cost (USD). */
  spend: number;
  /** Mean realised score (accuracy). */
  accuracy: number;
  /** accuracy / the reference model's accuracy on the same rows. */
  relativeAccuracy: number;
  /** The policy's budget on these rows: fraction x the reference model's realised spend. */
  budget: number;
}

function referenceOf(data: LabelMatrix, reference: string): { spend: number; accuracy: number } {
  const k = data.models.length;
  const r = data.models.indexOf(reference);
  if (r < 0) throw new Error(`reference model ${reference} is not in the data`);
  let spend = 0;
  let score = 0;
  for (let i = 0; i < data.texts.length; i++) {
    spend += finite(data.costs[i * k + r]);
    score += finite(data.scores[i * k + r]);
  }
  return { spend, accuracy: score / data.texts.length };
}

const finite = (x: number) => (Number.isFinite(x) ? x : 0);

/** Per-query decisions (column per row, in data.models order) scored on the data's labels. */
export function realisedOutcome(data: LabelMatrix, assignment: ArrayLike<number>, reference: string, budgetFraction: number): RealisedOutcome {
  const k = data.models.length;
  const n = data.texts.length;
  let spend = 0;
  let score = 0;
  for (let i = 0; i < n; i++) {
    spend += finite(data.costs[i * k + assignment[i]]);
    score += finite(data.scores[i * k + assignment[i]]);
  }
  const ref = referenceOf(data, reference);
  return { n, spend, accuracy: score / n, relativeAccuracy: score / n / ref.accuracy, budget: budgetFraction * ref.spend };
}

/** A random split with weights w (data.models order): its expected realised spend and accuracy. */
export function splitOutcome(data: LabelMatrix, weights: number[], reference: string, budgetFraction: number): RealisedOutcome {
  const k = data.models.length;
  const n = data.texts.length;
  let spend = 0;
  let score = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      spend += weights[j] * finite(data.costs[i * k + j]);
      score += weights[j] * finite(data.scores[i * k + j]);
    }
  }
  const ref = referenceOf(data, reference);
  return { n, spend, accuracy: score / n, relativeAccuracy: score / n / ref.accuracy, budget: budgetFraction * ref.spend };
}
