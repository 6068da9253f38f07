import { grown, IntKeyHeap, SlotQueue } from './structures';
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
    this.dep = grown(this.dep, n);
    this.state = grown(this.state, n);
    this.spot = grown(this.spot, n);
    this.step = grown(this.step, n);
    this.decoding = grown(this.decoding, n);
    this.kvBase = grown(this.kvBase, n);
    this.kvReserved = grown(this.kvReserved, n);
    this.prefillLeft = grown(this.prefillLeft, n);
    this.segStart = grown(this.segStart, n);
    this.segSteps = grown(this.segSteps, n);
    this.segChunk = grown(this.segChunk, n);
    this.segBulk = grown(this.segBulk, n);
    this.stepTime = grown(this.stepTime, n);
    this.scheduledAt = grown(this.scheduledAt, n);
    this.outstanding = grown(this.outstanding, n);
    this.invGoodput = grown(this.invGoodput, n);
    this.kvCap = grown(this.kvCap, n);
    this.maxSeqs = grown(this.maxSeqs, n);
    this.cap = n;
  }
}
