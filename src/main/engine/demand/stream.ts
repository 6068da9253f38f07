import type { Db } from '../store/database';
import { getDemand, minuteRequests, NO_LABEL, type DemandLabels } from '../store/demand';
import { timeOrder } from './time-order';
import { gamma, minuteRng, STREAM_ARRIVALS, STREAM_COPIES } from './random';
import { hourRate, lengthModel, minuteMultiplier } from './profile-model';
import { MINUTE_S, type DemandRequest, type ProfileSpec, type RequestBatch, type StreamOptions } from './types';

// The requests of a demand in time order, minute by minute.
//
// A trace at scale s is thinned or replicated: each request yields floor(s) copies plus one more
// with probability frac(s) (so s < 1 keeps each request with probability s). The first copy keeps
// the original arrival; the others are shifted by a uniform jitter in [-jitterS, +jitterS]
// (default 5 s) and reflected at the trace's ends. Every minute's rate is thus multiplied by s in
// expectation, so the shape at one minute and above (peak-to-mean, diurnal curve) is kept, while
// the copies are spread rather than stacked on the same instant. Draws come from a generator per
// (seed, minute), so any window [fromS, toS) is reproduced exactly.
//
// A profile draws arrivals per minute at hourRate x the minute's gamma multiplier x scale, with
// gamma-renewal gaps of the profile's arrivalCv (exponential, i.e. Poisson, at 1), and token
// lengths from its length distribution.

const DEFAULT_JITTER_S = 5;

class Growable {
  t = new Float64Array(1024);
  inp = new Int32Array(1024);
  out = new Int32Array(1024);
  model: Int32Array | null;
  task: Int32Array | null;
  tenant: Int32Array | null;
  n = 0;
  constructor(labels: { model: boolean; task: boolean; tenant: boolean }) {
    this.model = labels.model ? new Int32Array(1024) : null;
    this.task = labels.task ? new Int32Array(1024) : null;
    this.tenant = labels.tenant ? new Int32Array(1024) : null;
  }
  push(t: number, inp: number, out: number, model: number, task: number, tenant: number): void {
    if (this.n === this.t.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as { new (n: number): T })(a.length * 2);
        b.set(a);
        return b;
      };
      this.t = grow(this.t);
      this.inp = grow(this.inp);
      this.out = grow(this.out);
      if (this.model) this.model = grow(this.model);
      if (this.task) this.task = grow(this.task);
      if (this.tenant) this.tenant = grow(this.tenant);
    }
    const i = this.n++;
    this.t[i] = t;
    this.inp[i] = inp;
    this.out[i] = out;
    if (this.model) this.model[i] = model;
    if (this.task) this.task[i] = task;
    if (this.tenant) this.tenant[i] = tenant;
  }
  /** Sorts by time, then hands out the requests before `before` and keeps the rest. */
  takeBefore(before: number, from: number, to: number): RequestBatch {
    const n = this.n;
    const t = this.t;
    const order = timeOrder(t, n);
    let cut = 0;
    while (cut < n && t[order[cut]] < before) cut++;
    const pick = <T extends Float64Array | Int32Array>(a: T, lo: number, hi: number): T => {
      const b = new (a.constructor as { new (n: number): T })(hi - lo);
      for (let i = lo; i < hi; i++) b[i - lo] = a[order[i]];
      return b;
    };
    // Emitted: those in [from, to); kept: the tail, re-packed in time order.
    let lo = 0;
    while (lo < cut && t[order[lo]] < from) lo++;
    let hi = lo;
    while (hi < cut && t[order[hi]] < to) hi++;
    const batch: RequestBatch = { t: pick(this.t, lo, hi), inputTokens: pick(this.inp, lo, hi), outputTokens: pick(this.out, lo, hi), model: this.model && pick(this.model, lo, hi), task: this.task && pick(this.task, lo, hi), tenant: this.tenant && pick(this.tenant, lo, hi) };
    const keep = (a: Float64Array | Int32Array) => a.set(pick(a, cut, n) as never);
    keep(this.t);
    keep(this.inp);
    keep(this.out);
    if (this.model) keep(this.model);
    if (this.task) keep(this.task);
    if (this.tenant) keep(this.tenant);
    this.n = n - cut;
    return batch;
  }
}

const label = (a: Uint16Array | null, i: number) => (a && a[i] !== NO_LABEL ? a[i] : -1);

/** The demand's requests in time order, one batch per minute (typed arrays; the replay's path). */
export function* requestBatches(db: Db, demandId: number, opts: StreamOptions = {}): Generator<RequestBatch> {
  const d = getDemand(db, demandId);
  const from = Math.max(0, opts.fromS ?? 0);
  const to = Math.min(d.spanS, opts.toS ?? d.spanS);
  const scale = opts.scale ?? 1;
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a finite number >= 0 (got ${scale})`);
  if (to <= from || scale === 0) return;
  if (d.kind === 'profile') {
    yield* profileBatches(d.summary.profile!, from, to, scale, opts.seed);
    return;
  }
  const seed = opts.seed ?? 1;
  const jitter = scale === 1 ? 0 : Math.min(opts.jitterS ?? DEFAULT_JITTER_S, MINUTE_S / 2);
  const span = d.spanS;
  const whole = Math.floor(scale);
  const frac = scale - whole;
  const pending = new Growable({ model: d.labels.models.length > 0, task: d.labels.tasks.length > 0, tenant: d.labels.tenants.length > 0 });
  const firstMinute = Math.floor((from - jitter) / MINUTE_S);
  const lastMinute = Math.floor((to + jitter) / MINUTE_S);
  for (const m of minuteRequests(db, demandId, Math.max(0, firstMinute), lastMinute)) {
    const base = m.minute * MINUTE_S;
    const rng = scale === 1 ? null : minuteRng(seed, STREAM_COPIES, m.minute);
    for (let i = 0; i < m.offsetsUs.length; i++) {
      const t0 = base + m.offsetsUs[i] / 1e6;
      const copies = rng ? whole + (rng.next() < frac ? 1 : 0) : 1;
      for (let c = 0; c < copies; c++) {
        let t = c === 0 ? t0 : t0 + (2 * rng!.next() - 1) * jitter;
        if (t < 0) t = -t;
        else if (t >= span) t = Math.max(0, 2 * span - t - 1e-6);
        pending.push(t, m.inputTokens[i], m.outputTokens[i], label(m.model, i), label(m.task, i), label(m.tenant, i));
      }
    }
    // Copies of later minutes land at or after (minute + 1) * 60 - jitter.
    const batch = pending.takeBefore((m.minute + 1) * MINUTE_S - jitter, from, to);
    if (batch.t.length) yield batch;
  }
  const rest = pending.takeBefore(Infinity, from, to);
  if (rest.t.length) yield rest;
}

function* profileBatches(p: ProfileSpec, from: number, to: number, scale: number, seedOpt?: number): Generator<RequestBatch> {
  const seed = seedOpt ?? p.seed;
  const lengths = lengthModel(p.lengths);
  const cv = p.burstiness.arrivalCv;
  const shape = cv > 0 ? 1 / (cv * cv) : 0;
  for (let m = Math.floor(from / MINUTE_S); m * MINUTE_S < to; m++) {
    const rate = hourRate(p, Math.floor(m / 60)) * minuteMultiplier(p, m, seed) * scale;
    if (rate <= 0) continue;
    const rng = minuteRng(seed, STREAM_ARRIVALS, m);
    const mean = 1 / rate;
    // A gap of mean 1/rate: exponential (Poisson) at cv 1, gamma otherwise, constant at cv 0.
    const gap = () => (cv === 1 ? -Math.log(1 - rng.next()) * mean : cv === 0 ? mean : (gamma(rng, shape) / shape) * mean);
    const out = new Growable({ model: false, task: false, tenant: false });
    const base = m * MINUTE_S;
    for (let s = rng.next() * gap(); s < MINUTE_S; s += gap()) {
      const t = base + s;
      const [inp, o] = lengths.sample(rng);
      if (t >= from && t < to) out.push(t, inp, o, -1, -1, -1);
    }
    const batch = out.takeBefore(Infinity, -Infinity, Infinity);
    if (batch.t.length) yield batch;
  }
}

/** The demand's requests one by one, in time order (see requestBatches for the arrays). */
export function* requestStream(db: Db, demandId: number, opts: StreamOptions = {}): Generator<DemandRequest> {
  const labels: DemandLabels = getDemand(db, demandId).labels;
  for (const b of requestBatches(db, demandId, opts)) {
    for (let i = 0; i < b.t.length; i++) {
      const r: DemandRequest = { t: b.t[i], inputTokens: b.inputTokens[i], outputTokens: b.outputTokens[i] };
      if (b.model && b.model[i] >= 0) r.model = labels.models[b.model[i]];
      if (b.task && b.task[i] >= 0) r.task = labels.tasks[b.task[i]];
      if (b.tenant && b.tenant[i] >= 0) r.tenant = labels.tenants[b.tenant[i]];
      yield r;
    }
  }
}
