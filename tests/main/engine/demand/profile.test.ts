import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { createProfile } from '../../../../src/main/engine/demand/profile';
import { demandIntervals } from '../../../../src/main/engine/demand/intervals';
import { hourRate, lognormalOf } from '../../../../src/main/engine/demand/profile-model';
import { getDemand } from '../../../../src/main/engine/store/demand';
import { createDemo } from '../../../../src/main/engine/data/demo';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { DEMO_MEAN_RATE } from '../../../../src/main/engine/data/demo-demand';

const now = new Date('2026-01-01T00:00:00Z');

describe('typed profiles', () => {
  it('compound growth per 730-hour month: the expected count and each month rate', () => {
    const db = openDatabase(':memory:');
    const p = createProfile(db, { dailyRequests: 24_000, shapePreset: 'flat', growthPerMonth: 0.08, months: 3 }, now);
    const days = 730 / 24;
    expect(p.requests).toBe(Math.round(24_000 * days * (1 + 1.08 + 1.08 ** 2)));
    expect(p.spanS).toBe(3 * 730 * 3600);
    const iv = demandIntervals(db, p.id, 3600);
    expect(iv.rate[0]).toBeCloseTo(24_000 / 86400, 12);
    expect(iv.rate[730]).toBeCloseTo((1.08 * 24_000) / 86400, 12);
    expect(iv.rate[2 * 730 + 5]).toBeCloseTo((1.08 ** 2 * 24_000) / 86400, 12);
    // intervals sum to the count (no bursts: multipliers are 1)
    expect(iv.rate.reduce((a, b) => a + b, 0) * 3600).toBeCloseTo(p.requests, 0);
  });

  it('a 24-hour shape is repeated for each day and scaled to the daily volume', () => {
    const db = openDatabase(':memory:');
    const shape = Array.from({ length: 24 }, (_, h) => (h < 12 ? 1 : 3));
    const p = createProfile(db, { dailyRequests: 86_400, shape, days: 7 }, now);
    const iv = demandIntervals(db, p.id, 3600);
    expect(iv.rate[0]).toBeCloseTo(0.5, 12); // 1/(12 + 36) of 86,400 per hour
    expect(iv.rate[24 * 3 + 13]).toBeCloseTo(1.5, 12);
    expect(p.requests).toBe(7 * 86_400);
    expect(p.peakToMean['3600']).toBeCloseTo(1.5, 12);
  });

  it('starts the week shape at the hour of its start date', () => {
    const db = openDatabase(':memory:');
    const shape = Array.from({ length: 168 }, (_, h) => h + 1);
    const p = createProfile(db, { dailyRequests: 1000, shape, days: 1, startIso: '2026-01-07T05:30:00Z' }, now); // a Wednesday
    const spec = getDemand(db, p.id).summary.profile!;
    expect(spec.startHourOfWeek).toBe(2 * 24 + 5);
    expect(hourRate(spec, 0) / hourRate(spec, 1)).toBeCloseTo((2 * 24 + 6) / (2 * 24 + 7), 12);
  });

  it('a lognormal fitted to mean and p90 reproduces them when it can', () => {
    const { mu, sigma } = lognormalOf(200, 400);
    expect(Math.exp(mu + sigma * sigma / 2)).toBeCloseTo(200, 9);
    expect(Math.exp(mu + 1.2815515655446004 * sigma)).toBeCloseTo(400, 6);
  });

  it('per-minute multipliers have the stated CV and lag-1 autocorrelation', () => {
    const db = openDatabase(':memory:');
    const p = createProfile(db, { dailyRequests: 86_400, shapePreset: 'flat', days: 14, burstiness: { minuteRateCv: 0.3, minuteRateAutocorr: 0.7, arrivalCv: 1 }, seed: 5 }, now);
    expect(Math.abs(p.burstiness.minuteRateCv - 0.3)).toBeLessThan(0.03);
    expect(Math.abs(p.burstiness.minuteRateAutocorr - 0.7)).toBeLessThan(0.05);
    const q = createProfile(db, { dailyRequests: 86_400, shapePreset: 'flat', days: 14, burstiness: { minuteRateCv: 0.3, arrivalCv: 1 }, seed: 5 }, now);
    expect(Math.abs(q.burstiness.minuteRateAutocorr)).toBeLessThan(0.05);
    // persistent bursts survive averaging over 15 minutes; independent ones mostly do not
    expect(p.peakToMean['900'] - 1).toBeGreaterThan(2 * (q.peakToMean['900'] - 1));
  });

  it('refuses a shape of the wrong length and a taken name', () => {
    const db = openDatabase(':memory:');
    expect(() => createProfile(db, { dailyRequests: 1, shape: [1, 2, 3] }, now)).toThrow(/24 .* or 168/);
    createProfile(db, { name: 'x', dailyRequests: 1 }, now);
    expect(() => createProfile(db, { name: 'x', dailyRequests: 1 }, now)).toThrow(/already exists/);
  });

  it('the demo holds a week-long profile whose mean rate is the default traffic', () => {
    const db = openDatabase(':memory:');
    createDemo(db, { seed: 7, queries: 200, now }, quietContext());
    const d = getDemand(db, 1);
    expect(d).toMatchObject({ name: 'demo-week', kind: 'profile', spanS: 7 * 86400 });
    expect(d.requests / d.spanS).toBeCloseTo(DEMO_MEAN_RATE, 6);
    const iv = demandIntervals(db, 1, 60);
    expect(iv.rate.length).toBe(7 * 1440);
    // bursts: the busiest minute well above the busiest hour
    expect(d.summary.peakToMean['60']).toBeGreaterThan(d.summary.peakToMean['3600'] * 1.2);
  });
});
