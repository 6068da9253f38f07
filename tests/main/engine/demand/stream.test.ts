import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src/main/engine/store/database';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { importDemand } from '../../../../src/main/engine/demand/import';
import { demandIntervals } from '../../../../src/main/engine/demand/intervals';
import { requestBatches, requestStream } from '../../../../src/main/engine/demand/stream';
import { createProfile } from '../../../../src/main/engine/demand/profile';
import { peakToMean } from '../../../../src/main/engine/demand/stats';
import type { StreamOptions } from '../../../../src/main/engine/demand/types';
import { repoRoot } from '../../../helpers/engine';

const conv = resolve(repoRoot, '../shared/data/traces/azure2023_AzureLLMInferenceTrace_conv.csv');
let db: Db;
let trace: number;
let profile: number;
const now = new Date('2026-01-01T00:00:00Z');

beforeAll(async () => {
  db = openDatabase(':memory:');
  trace = (await importDemand(db, [conv], {}, quietContext())).demandId;
  profile = createProfile(db, { name: 'p', dailyRequests: 200_000, shapePreset: 'diurnal', days: 2, burstiness: { minuteRateCv: 0.3, arrivalCv: 1.5 }, seed: 3 }, now).id;
});

/** Per-minute counts and a fingerprint of a stream, checking time order on the way. */
function walk(id: number, opts: StreamOptions) {
  const counts = new Float64Array(Math.ceil((opts.toS ?? 3600) / 60));
  let prev = -Infinity;
  let ordered = true;
  let n = 0;
  let sum = 0;
  const times: number[] = [];
  for (const b of requestBatches(db, id, opts)) {
    for (let i = 0; i < b.t.length; i++) {
      const t = b.t[i];
      if (t < prev) ordered = false;
      prev = t;
      counts[Math.floor(t / 60)]++;
      sum += t * (b.inputTokens[i] + 1);
      if (times.length < 2000) times.push(t);
      n++;
    }
  }
  return { counts, ordered, n, sum, times };
}

describe('requestStream of a trace', () => {
  it('at scale 1 gives the trace back, in order', () => {
    const w = walk(trace, { toS: 3600 });
    expect(w.ordered).toBe(true);
    expect(w.n).toBe(19366);
  });

  it('at x200 keeps the count exactly and the peak-to-mean at 1 and 15 minutes within 5%, time-ordered', () => {
    const base = walk(trace, { toS: 3600 });
    const big = walk(trace, { toS: 3600, scale: 200, seed: 5 });
    expect(big.ordered).toBe(true);
    expect(big.n).toBe(200 * 19366);
    const p0 = peakToMean(base.counts);
    const p1 = peakToMean(big.counts);
    expect(Math.abs(p1['60'] / p0['60'] - 1)).toBeLessThan(0.05);
    expect(Math.abs(p1['900'] / p0['900'] - 1)).toBeLessThan(0.05);
  });

  it('at a fractional scale thins and replicates to the expected count (within 4 sd)', () => {
    for (const scale of [0.3, 2.5]) {
      const w = walk(trace, { toS: 3600, scale, seed: 9 });
      const frac = scale - Math.floor(scale);
      const sd = Math.sqrt(19366 * frac * (1 - frac));
      expect(Math.abs(w.n - scale * 19366)).toBeLessThan(4 * sd);
      expect(w.ordered).toBe(true);
    }
  });

  it('is reproduced by its seed, differs with another, and any window is the same slice of the whole', () => {
    const a = walk(trace, { toS: 3600, scale: 3.5, seed: 1 });
    const b = walk(trace, { toS: 3600, scale: 3.5, seed: 1 });
    const c = walk(trace, { toS: 3600, scale: 3.5, seed: 2 });
    expect(b.sum).toBe(a.sum);
    expect(c.sum).not.toBe(a.sum);
    const whole = [...requestStream(db, trace, { scale: 3.5, seed: 1 })].filter((r) => r.t >= 600 && r.t < 1500);
    const window = [...requestStream(db, trace, { scale: 3.5, seed: 1, fromS: 600, toS: 1500 })];
    expect(window).toEqual(whole);
  });
});

describe('requestStream of a profile', () => {
  const span = 2 * 86400;
  it('is time-ordered, seeded, and its hourly counts follow the intervals within 5 sd', () => {
    const a = walk(profile, { toS: span });
    const b = walk(profile, { toS: span });
    const c = walk(profile, { toS: span, seed: 4 });
    expect(a.ordered).toBe(true);
    expect(b.sum).toBe(a.sum);
    expect(c.sum).not.toBe(a.sum);
    const iv = demandIntervals(db, profile, 3600);
    for (let h = 0; h < 48; h++) {
      let got = 0;
      for (let m = h * 60; m < h * 60 + 60; m++) got += a.counts[m];
      const want = iv.rate[h] * 3600;
      // Poisson noise plus gamma-renewal gaps of CV 1.5: variance about cv^2 x mean
      expect(Math.abs(got - want)).toBeLessThan(5 * 1.5 * Math.sqrt(want));
    }
  });

  it('draws inter-arrival gaps of the stated CV within a minute', () => {
    const gaps: number[] = [];
    for (const b of requestBatches(db, profile, { fromS: 50_000, toS: 50_060 })) for (let i = 1; i < b.t.length; i++) gaps.push(b.t[i] - b.t[i - 1]);
    const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((x, y) => x + (y - mean) ** 2, 0) / gaps.length);
    expect(gaps.length).toBeGreaterThan(50);
    expect(sd / mean).toBeGreaterThan(1.2);
    expect(sd / mean).toBeLessThan(1.8);
  });
});
