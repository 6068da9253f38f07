import { IntKeyHeap, SlotQueue } from './structures';
import type { ServiceModel } from './types';

// The replay's instances as columns of typed arrays (grown on demand), plus each instance's
// queues: waiting (FCFS, not yet admitted), prefilling (admitted, FIFO) and running (decoding,
// keyed by the step each sequence finishes at).

export const PENDING = 0;
export const ACTIVE = 1;
export const DRAINING = 2;
export const STOPPED = 3;

export class InstanceTable {
  size = 0;
  private cap = 0;
  dep = new Int32Array(0);
  state = new Uint8Array(0);
  spot = new Uint8Array(0);
  /** Decode steps done; a decoding sequence holds input + 1 + (step - joinStep) KV tokens, summed as kvBase + decoding x step. */
  step = new Int32Array(0);
  decoding = new Int32Array(0);
  kvBase = new Float64Array(0);
  kvReserved = new Float64Array(0);
  prefillLeft = new Float64Array(0);
  /** The current iteration, or run of decode steps: start, steps, prefill chunk, whether it is a decode run, step time. */
  segStart = new Float64Array(0);
  segSteps = new Int32Array(0);
  segChunk = new Int32Array(0);
  segBulk = new Uint8Array(0);
  stepTime = new Float64Array(0);
  /** When the current iteration ends (Infinity = idle). */
  scheduledAt = new Float64Array(0);
  /** Requests waiting, prefilling or decoding, and the deployment's facts the hot loop reads. */
  outstanding = new Int32Array(0);
  invGoodput = new Float64Array(0);
  kvCap = new Float64Array(0);
  maxSeqs = new Int32Array(0);
  waiting: SlotQueue[] = [];
  prefill: SlotQueue[] = [];
  running: IntKeyHeap[] = [];

  /** A new (pending) instance of deployment d. */
  add(d: number, spot: boolean, invGoodput: number, service: ServiceModel): number {
    const k = this.size++;
    if (k >= this.cap) this.grow(Math.max(16, this.cap * 2));
    this.dep[k] = d;
    this.state[k] = PENDING;
    this.spot[k] = spot ? 1 : 0;
    this.scheduledAt[k] = Infinity;
    this.outstanding[k] = 0;
    this.invGoodput[k] = invGoodput;
    this.kvCap[k] = service.kvTokenCapacity;
    this.maxSeqs[k] = service.maxRunningSeqs ?? 256;
    this.waiting[k] = new SlotQueue();
    this.prefill[k] = new SlotQueue();
    this.running[k] = new IntKeyHeap();
    return k;
  }

  private grow(n: number): void {
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    this.dep = i32(this.dep);
    this.state = u8(this.state);
    this.spot = u8(this.spot);
    this.step = i32(this.step);
    this.decoding = i32(this.decoding);
    this.kvBase = f64(this.kvBase);
    this.kvReserved = f64(this.kvReserved);
    this.prefillLeft = f64(this.prefillLeft);
    this.segStart = f64(this.segStart);
    this.segSteps = i32(this.segSteps);
    this.segChunk = i32(this.segChunk);
    this.segBulk = u8(this.segBulk);
    this.stepTime = f64(this.stepTime);
    this.scheduledAt = f64(this.scheduledAt);
    this.outstanding = i32(this.outstanding);
    this.invGoodput = f64(this.invGoodput);
    this.kvCap = f64(this.kvCap);
    this.maxSeqs = i32(this.maxSeqs);
    this.cap = n;
  }
}
