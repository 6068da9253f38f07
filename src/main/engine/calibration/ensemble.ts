/**
 * Ensemble-level calibration inputs. A bootstrap ensemble is calibrated once, on its mean: each
 * member's uncalibrated probability sigmoid(z_b) (float32), their mean (float32 accumulation, in
 * member order), then the logit of that mean, which the ensemble's Calibrator (temperature +
 * buckets) maps. Calibrating every member and averaging afterwards shrinks the mean toward the
 * middle and mis-calibrates it (measured: RouterBench, 20 members, ECE 0.011 -> 0.029).
 * The policy's fused scorer repeats these exact float operations (bit-identical, tested).
 */
import { sigmoid } from './temperature';

/** Keeps the logit finite when float32 sigmoid saturates to 0 or 1. */
export const LOGIT_EPS = 1e-6;

export function logitOf(p: number): number {
  const q = Math.min(1 - LOGIT_EPS, Math.max(LOGIT_EPS, p));
  return Math.log(q / (1 - q));
}

/** Uncalibrated member probabilities sigmoid(z) as float32, one array per member. */
export function memberRawProbabilities(memberLogits: Float32Array[]): Float32Array[] {
  return memberLogits.map((z) => {
    const out = new Float32Array(z.length);
    for (let i = 0; i < z.length; i++) out[i] = sigmoid(z[i]);
    return out;
  });
}

/** Mean over members, accumulated in float32 in member order. */
export function meanOf(members: Float32Array[]): Float32Array {
  const out = new Float32Array(members[0].length);
  for (const m of members) for (let i = 0; i < out.length; i++) out[i] += m[i] / members.length;
  return out;
}

/** Element-wise logitOf into float32 (what the ensemble Calibrator is fitted on and applied to). */
export function logitsOf(p: Float32Array): Float32Array {
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = logitOf(p[i]);
  return out;
}
