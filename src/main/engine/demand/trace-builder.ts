import { fileError } from '../../../shared/errors';
import { NO_LABEL, type MinuteRequests, type MinuteSummary } from '../store/demand';
import { FINE_BUCKETS, fineBucket, jointBucket, JOINT_BUCKETS } from './histogram';
import { Moments } from './stats';
import { timeOrder } from './time-order';
import { MINUTE_S } from './types';

/** Out-of-order rows within this much of the latest timestamp are sorted; further back, refused. */
export const SORT_WINDOW_S = 3600;

interface MinuteBuffer {
  n: number;
  t: Float64Array; // seconds from the origin
  inp: Uint32Array;
  out: Uint32Array;
  model: Uint16Array | null;
  task: Uint16Array | null;
  tenant: Uint16Array | null;
}

export interface TraceTotals {
  originS: number; // absolute (or relative) seconds of minute 0
  minuteCounts: Float64Array;
  requests: number;
  sumInput: number;
  sumOutput: number;
  histInput: Float64Array;
  histOutput: Float64Array;
  joint: Float64Array;
  interArrivalCv: number | null;
  withinMinuteCv: number | null;
  unsorted: number;
  duplicates: number;
}

/**
 * Gathers a trace's requests into minutes in bounded memory: rows go to their minute's buffer in
 * any order, and a minute is sorted, summarised and written once the file has moved more than
 * SORT_WINDOW_S past it. A row older than that is refused (the file is too far out of order to
 * sort in memory). Minutes are written in ascending order, numbered from the first written one.
 */
export class TraceBuilder {
  private readonly pending = new Map<number, MinuteBuffer>();
  private origin: number | null = null;
  private maxMinute = -Infinity;
  private maxT = -Infinity;
  private maxRow = 0;
  private lastFlushed = -Infinity;
  private base: number | null = null;
  private prevRowT = -Infinity;
  private prevSortedT = NaN;
  private readonly counts = new Map<number, number>();
  private readonly gaps = new Moments();
  private readonly minuteGaps = new Moments();
  private readonly windowMinutes = Math.ceil(SORT_WINDOW_S / MINUTE_S);
  readonly histInput = new Float64Array(FINE_BUCKETS);
  readonly histOutput = new Float64Array(FINE_BUCKETS);
  readonly joint = new Float64Array(JOINT_BUCKETS);
  requests = 0;
  sumInput = 0;
  sumOutput = 0;
  unsorted = 0;
  duplicates = 0;

  constructor(private readonly write: (s: MinuteSummary, r: MinuteRequests) => void) {}

  add(file: string, row: number, column: string, t: number, inp: number, out: number, model: number, task: number, tenant: number): void {
    if (this.origin === null) this.origin = Math.floor(t / MINUTE_S) * MINUTE_S;
    const rel = t - this.origin;
    const minute = Math.floor(rel / MINUTE_S);
    if (t < this.prevRowT) this.unsorted++;
    this.prevRowT = t;
    // (Minutes older than the window are already written, so this also guards them.)
    if (t < this.maxT - SORT_WINDOW_S || minute <= this.lastFlushed) {
      throw fileError(file, row, column, `timestamp ${(this.maxT - t).toFixed(3)} s earlier than row ${this.maxRow}'s: the file is out of order by more than the ${SORT_WINDOW_S} s that an import sorts; sort it by timestamp first`, { window: SORT_WINDOW_S });
    }
    if (t > this.maxT) {
      this.maxT = t;
      this.maxRow = row;
    }
    let buf = this.pending.get(minute);
    if (!buf) this.pending.set(minute, (buf = this.buffer(256)));
    if (buf.n === buf.t.length) this.pending.set(minute, (buf = this.grow(buf)));
    const i = buf.n++;
    buf.t[i] = rel;
    buf.inp[i] = inp;
    buf.out[i] = out;
    if (buf.model) buf.model[i] = model;
    if (buf.task) buf.task[i] = task;
    if (buf.tenant) buf.tenant[i] = tenant;
    if (minute > this.maxMinute) {
      this.maxMinute = minute;
      this.flushBefore(minute - this.windowMinutes);
    }
  }

  private buffer(size: number): MinuteBuffer {
    return { n: 0, t: new Float64Array(size), inp: new Uint32Array(size), out: new Uint32Array(size), model: new Uint16Array(size), task: new Uint16Array(size), tenant: new Uint16Array(size) };
  }

  private grow(b: MinuteBuffer): MinuteBuffer {
    const g = this.buffer(b.t.length * 2);
    g.n = b.n;
    g.t.set(b.t);
    g.inp.set(b.inp);
    g.out.set(b.out);
    g.model?.set(b.model!);
    g.task?.set(b.task!);
    g.tenant?.set(b.tenant!);
    return g;
  }

  private flushBefore(limit: number): void {
    const due = [...this.pending.keys()].filter((m) => m < limit).sort((a, b) => a - b);
    for (const m of due) {
      this.flushMinute(m, this.pending.get(m)!);
      this.pending.delete(m);
    }
  }

  private flushMinute(m: number, b: MinuteBuffer): void {
    if (this.base === null) this.base = m;
    this.lastFlushed = m;
    const n = b.n;
    const t = b.t;
    const order = timeOrder(t, n);
    const start = m * MINUTE_S;
    const offsetsUs = new Uint32Array(n);
    const inputTokens = new Uint32Array(n);
    const outputTokens = new Uint32Array(n);
    // A label column that names nothing in this minute is stored as NULL.
    const pick16 = (a: Uint16Array | null) => {
      if (!a) return null;
      let any = false;
      for (let i = 0; i < n && !any; i++) any = a[i] !== NO_LABEL;
      return any ? Uint16Array.from(order, (k) => a[k]) : null;
    };
    const histInput = new Uint32Array(FINE_BUCKETS);
    const histOutput = new Uint32Array(FINE_BUCKETS);
    const joint = new Uint32Array(JOINT_BUCKETS);
    let sumIn = 0;
    let sumOut = 0;
    const meanGap = MINUTE_S / n;
    for (let i = 0; i < n; i++) {
      const k = order[i];
      const ti = t[k];
      offsetsUs[i] = Math.min(MINUTE_S * 1e6 - 1, Math.max(0, Math.round((ti - start) * 1e6)));
      const inp = (inputTokens[i] = b.inp[k]);
      const out = (outputTokens[i] = b.out[k]);
      sumIn += inp;
      sumOut += out;
      histInput[fineBucket(inp)]++;
      histOutput[fineBucket(out)]++;
      joint[jointBucket(inp, out)]++;
      if (this.prevSortedT === this.prevSortedT) {
        const gap = ti - this.prevSortedT;
        if (gap === 0) this.duplicates++;
        this.gaps.add(gap);
        if (i > 0) this.minuteGaps.add(gap / meanGap);
      }
      this.prevSortedT = ti;
    }
    for (let k = 0; k < FINE_BUCKETS; k++) {
      this.histInput[k] += histInput[k];
      this.histOutput[k] += histOutput[k];
    }
    for (let k = 0; k < JOINT_BUCKETS; k++) this.joint[k] += joint[k];
    this.requests += n;
    this.sumInput += sumIn;
    this.sumOutput += sumOut;
    const minute = m - this.base;
    this.counts.set(minute, n);
    this.write({ minute, count: n, sumInput: sumIn, sumOutput: sumOut, histInput, histOutput, joint }, { minute, offsetsUs, inputTokens, outputTokens, model: pick16(b.model), task: pick16(b.task), tenant: pick16(b.tenant) });
  }

  finish(): TraceTotals {
    this.flushBefore(Infinity);
    let last = -1;
    for (const m of this.counts.keys()) if (m > last) last = m;
    const minuteCounts = new Float64Array(last + 1);
    for (const [m, c] of this.counts) minuteCounts[m] = c;
    return {
      originS: (this.origin ?? 0) + (this.base ?? 0) * MINUTE_S,
      minuteCounts,
      requests: this.requests,
      sumInput: this.sumInput,
      sumOutput: this.sumOutput,
      histInput: this.histInput,
      histOutput: this.histOutput,
      joint: this.joint,
      interArrivalCv: this.gaps.cv,
      withinMinuteCv: this.minuteGaps.cv,
      unsorted: this.unsorted,
      duplicates: this.duplicates,
    };
  }
}

