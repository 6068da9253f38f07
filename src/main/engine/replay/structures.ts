// Typed-array containers for the replay's hot loop: a FIFO of request slots, a min-heap of
// request slots keyed by an integer (the decode step a sequence finishes at), and an indexed
// min-heap of instances keyed by the time their current iteration (or run of iterations) ends,
// whose keys can move both ways when an arrival cuts a run of decode steps short.

/** A copy of a typed column at a larger length n (zeros after the old contents). */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Growable ring buffer of int32 request slots. */
export class SlotQueue {
  private buf = new Int32Array(16);
  private head = 0;
  size = 0;
  push(v: number): void {
    if (this.size === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      for (let i = 0; i < this.size; i++) next[i] = this.buf[(this.head + i) & (this.buf.length - 1)];
      this.buf = next;
      this.head = 0;
    }
    this.buf[(this.head + this.size) & (this.buf.length - 1)] = v;
    this.size++;
  }
  peek(): number {
    return this.buf[this.head];
  }
  /** The i-th element from the head. */
  at(i: number): number {
    return this.buf[(this.head + i) & (this.buf.length - 1)];
  }
  shift(): number {
    const v = this.buf[this.head];
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.size--;
    return v;
  }
  clear(): void {
    this.head = 0;
    this.size = 0;
  }
}

/** Min-heap of (int key, int value) pairs. */
export class IntKeyHeap {
  private keys = new Int32Array(16);
  private vals = new Int32Array(16);
  size = 0;
  minKey(): number {
    return this.size ? this.keys[0] : 2147483647;
  }
  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const k = new Int32Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const v = new Int32Array(this.size * 2);
      v.set(this.vals);
      this.vals = v;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p] <= key) break;
      this.keys[i] = this.keys[p];
      this.vals[i] = this.vals[p];
      i = p;
    }
    this.keys[i] = key;
    this.vals[i] = val;
  }
  /** Removes the minimum and returns its value. */
  pop(): number {
    const top = this.vals[0];
    const n = --this.size;
    if (n > 0) {
      const key = this.keys[n];
      const val = this.vals[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && this.keys[c + 1] < this.keys[c]) c++;
        if (this.keys[c] >= key) break;
        this.keys[i] = this.keys[c];
        this.vals[i] = this.vals[c];
        i = c;
      }
      this.keys[i] = key;
      this.vals[i] = val;
    }
    return top;
  }
  /** All values, in no order (for restarting an interrupted instance's sequences). */
  drain(): number[] {
    const out = Array.from(this.vals.subarray(0, this.size));
    this.size = 0;
    return out;
  }
}

/** Indexed min-heap over ids 0..n-1 keyed by a float time; Infinity = not scheduled. */
export class TimeHeap {
  private heap = new Int32Array(16);
  private pos = new Int32Array(16).fill(-1);
  private key = new Float64Array(16);
  size = 0;
  private ensure(id: number): void {
    if (id < this.pos.length) return;
    let n = this.pos.length;
    while (n <= id) n *= 2;
    const pos = new Int32Array(n).fill(-1);
    pos.set(this.pos);
    this.pos = pos;
    const key = new Float64Array(n);
    key.set(this.key);
    this.key = key;
    const heap = new Int32Array(n);
    heap.set(this.heap);
    this.heap = heap;
  }
  topId(): number {
    return this.size ? this.heap[0] : -1;
  }
  topTime(): number {
    return this.size ? this.key[this.heap[0]] : Infinity;
  }
  /** Sets (or clears, with Infinity) the time of id. */
  set(id: number, t: number): void {
    this.ensure(id);
    const p = this.pos[id];
    if (t === Infinity) {
      if (p >= 0) this.removeAt(p);
      return;
    }
    if (p < 0) {
      const i = this.size++;
      this.heap[i] = id;
      this.pos[id] = i;
      this.key[id] = t;
      this.up(i);
      return;
    }
    const old = this.key[id];
    this.key[id] = t;
    if (t < old) this.up(p);
    else this.down(p);
  }
  private removeAt(i: number): void {
    const id = this.heap[i];
    this.pos[id] = -1;
    const last = --this.size;
    if (i === last) return;
    const moved = this.heap[last];
    this.heap[i] = moved;
    this.pos[moved] = i;
    this.up(i);
    this.down(this.pos[moved]);
  }
  private up(i: number): void {
    const id = this.heap[i];
    const k = this.key[id];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pid = this.heap[p];
      if (this.key[pid] <= k) break;
      this.heap[i] = pid;
      this.pos[pid] = i;
      i = p;
    }
    this.heap[i] = id;
    this.pos[id] = i;
  }
  private down(i: number): void {
    const id = this.heap[i];
    const k = this.key[id];
    const n = this.size;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.key[this.heap[c + 1]] < this.key[this.heap[c]]) c++;
      const cid = this.heap[c];
      if (this.key[cid] >= k) break;
      this.heap[i] = cid;
      this.pos[cid] = i;
      i = c;
    }
    this.heap[i] = id;
    this.pos[id] = i;
  }
}

/** Log-binned histogram (1% relative bins from 1 µs): p90 of millions of latencies in bounded memory. */
export class LatencyHistogram {
  private static readonly LOG_STEP = Math.log(1.01);
  private static readonly FLOOR_MS = 1e-3;
  readonly bins = new Float64Array(2400);
  count = 0;
  add(ms: number): void {
    const b = ms <= LatencyHistogram.FLOOR_MS ? 0 : Math.min(this.bins.length - 1, 1 + Math.floor(Math.log(ms / LatencyHistogram.FLOOR_MS) / LatencyHistogram.LOG_STEP));
    this.bins[b]++;
    this.count++;
  }
  /** The q-quantile (upper edge of its bin: conservative by at most 1%); null when empty. */
  quantile(q: number): number | null {
    if (!this.count) return null;
    const target = q * this.count;
    let acc = 0;
    for (let b = 0; b < this.bins.length; b++) {
      acc += this.bins[b];
      if (acc >= target) return b === 0 ? LatencyHistogram.FLOOR_MS : LatencyHistogram.FLOOR_MS * Math.exp(b * LatencyHistogram.LOG_STEP);
    }
    return Infinity;
  }
}
