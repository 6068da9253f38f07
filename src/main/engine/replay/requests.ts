import { grown } from './structures';

// Requests in flight, as columns of typed arrays indexed by a recycled slot: the replay holds only
// what is queued or running, so a week-long trace needs no more memory than its busiest moment.

export class RequestSlots {
  arrival = new Float64Array(1024);
  firstToken = new Float64Array(1024);
  input = new Int32Array(1024);
  output = new Int32Array(1024);
  model = new Int32Array(1024);
  interval = new Int32Array(1024);
  prefillDone = new Int32Array(1024);
  joinStep = new Int32Array(1024);
  private freeList = new Int32Array(1024);
  private nFree = 0;
  private used = 0;

  alloc(t: number, input: number, output: number, interval: number): number {
    let s: number;
    if (this.nFree) s = this.freeList[--this.nFree];
    else {
      if (this.used === this.arrival.length) this.grow();
      s = this.used++;
    }
    this.arrival[s] = t;
    this.input[s] = input;
    this.output[s] = output;
    this.interval[s] = interval;
    this.model[s] = -1;
    this.prefillDone[s] = 0;
    this.firstToken[s] = NaN;
    return s;
  }

  /** An interrupted request starts over: its prompt is prefilled again, its arrival time kept. */
  restart(s: number): void {
    this.prefillDone[s] = 0;
    this.firstToken[s] = NaN;
  }

  free(s: number): void {
    this.freeList[this.nFree++] = s;
  }

  private grow(): void {
    const n = this.arrival.length * 2;
    this.arrival = grown(this.arrival, n);
    this.firstToken = grown(this.firstToken, n);
    this.input = grown(this.input, n);
    this.output = grown(this.output, n);
    this.model = grown(this.model, n);
    this.interval = grown(this.interval, n);
    this.prefillDone = grown(this.prefillDone, n);
    this.joinStep = grown(this.joinStep, n);
    this.freeList = grown(this.freeList, n);
  }
}
