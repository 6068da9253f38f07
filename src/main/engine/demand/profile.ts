import { EngineError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { findDemandByName, freeDemandName, getDemand, insertDemand } from '../store/demand';
import { histQuantile } from './histogram';
import { hourRate, lengthModel, minuteMultiplier } from './profile-model';
import { presetShape, weekShape, type ShapePreset } from './shapes';
import { minuteDispersion, peakToMean } from './stats';
import { summaryOf } from './summary';
import { MONTH_HOURS, type DemandSummary, type LengthSpec, type ProfileSpec } from './types';

export interface ProfileInput {
  name?: string;
  dailyRequests: number;
  shape?: number[];
  shapePreset?: ShapePreset;
  growthPerMonth?: number;
  /** Horizon in months of 730 h (default 1), or `days` instead. */
  months?: number;
  days?: number;
  lengths?: { input: { mean: number; p90: number }; output: { mean: number; p90: number } };
  /** Borrow the token lengths of a stored trace (its pooled histograms). */
  lengthsFrom?: number;
  burstiness?: { minuteRateCv: number; minuteRateAutocorr?: number; arrivalCv: number };
  seed?: number;
  /** Start (UTC); sets the hour of week the shape starts at. Default: a Monday 00:00. */
  startIso?: string;
}

/** Lengths of a profile that names none: the Azure conversation trace's (see data/demo-demand.ts). */
export const DEFAULT_LENGTHS = { input: { mean: 1155, p90: 2794 }, output: { mean: 211, p90: 423 } };

export function profileSpec(db: Db, p: ProfileInput): ProfileSpec {
  const shape = p.shape ? weekShape(p.shape) : presetShape(p.shapePreset ?? 'diurnal');
  if (shape.some((w) => !(w >= 0)) || shape.reduce((a, b) => a + b, 0) <= 0) throw new EngineError('INVALID_INPUT', 'shape weights must be >= 0 and not all zero', { field: 'shape' });
  const spanHours = p.days !== undefined ? Math.round(p.days * 24) : Math.round((p.months ?? 1) * MONTH_HOURS);
  if (spanHours < 1) throw new EngineError('INVALID_INPUT', 'the horizon must be at least one hour', { field: p.days !== undefined ? 'days' : 'months' });
  let lengths: LengthSpec;
  if (p.lengthsFrom !== undefined) {
    const d = getDemand(db, p.lengthsFrom);
    const pooled = d.summary.lengths;
    if (d.kind !== 'trace' || !pooled) throw new EngineError('INVALID_INPUT', `demand ${p.lengthsFrom} ("${d.name}") is not a trace; token lengths can be borrowed from a trace only`, { field: 'lengthsFrom' });
    lengths = { kind: 'histogram', from: d.name, ...pooled, meanInput: d.summary.inputTokens.mean, meanOutput: d.summary.outputTokens.mean };
  } else lengths = { kind: 'lognormal', ...(p.lengths ?? DEFAULT_LENGTHS) };
  const start = p.startIso ? new Date(p.startIso) : null;
  if (start && Number.isNaN(start.getTime())) throw new EngineError('INVALID_INPUT', `startIso "${p.startIso}" is not a date`, { field: 'startIso' });
  return {
    dailyRequests: p.dailyRequests,
    shape,
    shapeSource: p.shape ? 'given' : `preset ${p.shapePreset ?? 'diurnal'}`,
    growthPerMonth: p.growthPerMonth ?? 0,
    spanHours,
    lengths,
    burstiness: { minuteRateCv: p.burstiness?.minuteRateCv ?? 0, minuteRateAutocorr: p.burstiness?.minuteRateAutocorr ?? 0, arrivalCv: p.burstiness?.arrivalCv ?? 1 },
    seed: p.seed ?? 1,
    startHourOfWeek: start ? ((start.getUTCDay() + 6) % 7) * 24 + start.getUTCHours() : 0,
  };
}

/** Statistics of a profile: expected counts, with its seeded per-minute multipliers for the peaks. */
export function profileStats(spec: ProfileSpec): Pick<DemandSummary, 'requests' | 'meanRate' | 'peakToMean' | 'burstiness' | 'inputTokens' | 'outputTokens'> {
  const minutes = spec.spanHours * 60;
  const expected = new Float64Array(minutes);
  let requests = 0;
  for (let h = 0; h < spec.spanHours; h++) {
    const r = hourRate(spec, h);
    requests += r * 3600;
    for (let m = h * 60; m < h * 60 + 60; m++) expected[m] = 60 * r * minuteMultiplier(spec, m);
  }
  const lengths = lengthModel(spec.lengths);
  const tokens = (hist: Float64Array, mean: number) => ({ mean, p50: histQuantile(hist, 0.5), p90: histQuantile(hist, 0.9), p99: histQuantile(hist, 0.99) });
  return {
    requests: Math.round(requests),
    meanRate: requests / (spec.spanHours * 3600),
    peakToMean: peakToMean(expected),
    burstiness: { interArrivalCv: null, withinMinuteCv: spec.burstiness.arrivalCv, ...minuteDispersion(expected, true) },
    inputTokens: tokens(lengths.histInput, lengths.meanInput),
    outputTokens: tokens(lengths.histOutput, lengths.meanOutput),
  };
}

/** Stores a typed profile (in the caller's transaction, if any) and returns its summary. */
export function createProfile(db: Db, p: ProfileInput, now: Date): DemandSummary {
  if (p.name !== undefined && findDemandByName(db, p.name)) throw new EngineError('CONFLICT', `a demand named "${p.name}" already exists; choose another name (--name) or delete it first`, { name: p.name });
  const spec = profileSpec(db, p);
  const { requests, ...stats } = profileStats(spec);
  const start = p.startIso ? new Date(Math.floor(new Date(p.startIso).getTime() / 3600_000) * 3600_000).toISOString() : null;
  const growth = spec.growthPerMonth ? `, +${(100 * spec.growthPerMonth).toFixed(1)}%/month` : '';
  const id = insertDemand(db, {
    name: p.name ?? freeDemandName(db, 'profile'),
    kind: 'profile',
    format: 'profile',
    source: `profile: ${spec.dailyRequests} requests/day, ${spec.shapeSource}${growth}, ${spec.spanHours} h`,
    contentHash: null,
    startIso: start,
    spanS: spec.spanHours * 3600,
    requests,
    createdAt: now.toISOString(),
    summary: { ...stats, profile: spec },
    labels: { models: [], tasks: [], tenants: [] },
  });
  return summaryOf(getDemand(db, id));
}
