import { EngineError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { getDemand, minuteSummaries } from '../store/demand';
import { FINE_BUCKETS, histQuantile, INPUT_EDGES, JOINT_BUCKETS, OUTPUT_EDGES } from './histogram';
import { hourRate, lengthModel, minuteMultiplier } from './profile-model';
import { MINUTE_S, type DemandIntervals, type ProfileSpec } from './types';

export function checkIntervalS(intervalS: number): void {
  if (!Number.isInteger(intervalS) || intervalS < MINUTE_S || intervalS % MINUTE_S !== 0) {
    throw new EngineError('INVALID_INPUT', `interval ${intervalS} s: give whole minutes (60, 300, 900, 3600, ...)`, { intervalS });
  }
}

function empty(intervalS: number, n: number): DemandIntervals {
  return {
    intervalS,
    startS: Float64Array.from({ length: n }, (_, i) => i * intervalS),
    rate: new Float64Array(n),
    meanInput: new Float64Array(n).fill(NaN),
    meanOutput: new Float64Array(n).fill(NaN),
    p90Input: new Float64Array(n).fill(NaN),
    p90Output: new Float64Array(n).fill(NaN),
    bucketEdges: { input: [...INPUT_EDGES], output: [...OUTPUT_EDGES] },
    bucketShare: new Float64Array(n * JOINT_BUCKETS),
  };
}

/**
 * A demand per interval of `intervalS` seconds (a whole number of minutes). A trace's intervals
 * are merged from its stored minutes (counts, token sums, length histograms); a profile's come
 * from its hourly rates times its seeded per-minute multipliers (the ones requestStream draws
 * with the same seed). `scale` multiplies the rate only.
 */
export function demandIntervals(db: Db, demandId: number, intervalS: number, opts: { scale?: number; seed?: number } = {}): DemandIntervals {
  checkIntervalS(intervalS);
  const d = getDemand(db, demandId);
  const scale = opts.scale ?? 1;
  const perInterval = intervalS / MINUTE_S;
  const minutes = Math.round(d.spanS / MINUTE_S);
  const n = Math.ceil(minutes / perInterval);
  const out = empty(intervalS, n);
  if (d.kind === 'profile') return profileIntervals(d.summary.profile!, out, perInterval, minutes, scale, opts.seed);

  const count = new Float64Array(n);
  const sumIn = new Float64Array(n);
  const sumOut = new Float64Array(n);
  const hi = new Float64Array(FINE_BUCKETS);
  const ho = new Float64Array(FINE_BUCKETS);
  let current = -1;
  const finish = (i: number) => {
    if (i < 0 || count[i] === 0) return;
    out.p90Input[i] = histQuantile(hi, 0.9);
    out.p90Output[i] = histQuantile(ho, 0.9);
    hi.fill(0);
    ho.fill(0);
  };
  for (const m of minuteSummaries(db, demandId)) {
    const i = Math.floor(m.minute / perInterval);
    if (i !== current) {
      finish(current);
      current = i;
    }
    count[i] += m.count;
    sumIn[i] += m.sumInput;
    sumOut[i] += m.sumOutput;
    for (let b = 0; b < FINE_BUCKETS; b++) {
      hi[b] += m.histInput[b];
      ho[b] += m.histOutput[b];
    }
    for (let b = 0; b < JOINT_BUCKETS; b++) out.bucketShare[i * JOINT_BUCKETS + b] += m.joint[b];
  }
  finish(current);
  for (let i = 0; i < n; i++) {
    out.rate[i] = (scale * count[i]) / intervalS;
    if (count[i] === 0) continue;
    out.meanInput[i] = sumIn[i] / count[i];
    out.meanOutput[i] = sumOut[i] / count[i];
    for (let b = 0; b < JOINT_BUCKETS; b++) out.bucketShare[i * JOINT_BUCKETS + b] /= count[i];
  }
  return out;
}

function profileIntervals(p: ProfileSpec, out: DemandIntervals, perInterval: number, minutes: number, scale: number, seed?: number): DemandIntervals {
  const lengths = lengthModel(p.lengths);
  const p90In = histQuantile(lengths.histInput, 0.9);
  const p90Out = histQuantile(lengths.histOutput, 0.9);
  const n = out.rate.length;
  for (let m = 0; m < minutes; m++) out.rate[Math.floor(m / perInterval)] += hourRate(p, Math.floor(m / 60)) * minuteMultiplier(p, m, seed);
  for (let i = 0; i < n; i++) {
    out.rate[i] *= scale / perInterval; // mean of the interval's minutes (the last may be shorter)
    out.meanInput[i] = lengths.meanInput;
    out.meanOutput[i] = lengths.meanOutput;
    out.p90Input[i] = p90In;
    out.p90Output[i] = p90Out;
    out.bucketShare.set(lengths.jointShare, i * JOINT_BUCKETS);
  }
  return out;
}
