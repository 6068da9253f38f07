// Time integrals the replay needs for money and utilisation: a piecewise-constant count (instances
// in service, GPUs paid) integrated over time, split by the plan's intervals.

export class StepIntegral {
  private value = 0;
  private last = 0;
  total = 0;
  /** Integral of max(0, value - floor): the on-demand part above a reserved baseline. */
  aboveFloor = 0;
  readonly perInterval: Float64Array;
  constructor(
    private readonly intervalS: number,
    intervals: number,
    private readonly floor = 0,
  ) {
    this.perInterval = new Float64Array(intervals);
  }
  get current(): number {
    return this.value;
  }
  /** The count changes by `delta` at time t (t never decreases between calls). */
  change(t: number, delta: number): void {
    this.accrue(t);
    this.value += delta;
  }
  accrue(t: number): void {
    if (t <= this.last) return;
    const dt = t - this.last;
    this.total += this.value * dt;
    this.aboveFloor += Math.max(0, this.value - this.floor) * dt;
    if (this.value !== 0) {
      // Walk the intervals by index: recomputing floor(a / intervalS) at a boundary can land on
      // the interval just left (rounding) and never advance.
      const n = this.perInterval.length;
      let a = this.last;
      for (let i = Math.min(n - 1, Math.floor(a / this.intervalS)); a < t; i++) {
        const end = i >= n - 1 ? t : Math.min(t, (i + 1) * this.intervalS);
        if (end > a) this.perInterval[Math.min(i, n - 1)] += this.value * (end - a);
        a = Math.max(a, end);
      }
    }
    this.last = t;
  }
}

/** Control events (interval boundaries, instances coming up, spot interruptions): few, so a plain binary heap of records. */
export interface ControlEvent {
  t: number;
  kind: 0 | 1 | 2 | 3; // 0 boundary (a = interval), 1 instance ready, 2 spot interruption, 3 horizon end
  a: number;
  seq: number;
}

export class ControlQueue {
  private heap: ControlEvent[] = [];
  private seq = 0;
  private less(x: ControlEvent, y: ControlEvent): boolean {
    return x.t < y.t || (x.t === y.t && x.seq < y.seq);
  }
  push(t: number, kind: ControlEvent['kind'], a: number): void {
    const e: ControlEvent = { t, kind, a, seq: this.seq++ };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(e, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }
  topTime(): number {
    return this.heap.length ? this.heap[0].t : Infinity;
  }
  pop(): ControlEvent {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= h.length) break;
        if (c + 1 < h.length && this.less(h[c + 1], h[c])) c++;
        if (!this.less(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
