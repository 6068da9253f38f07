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
    this.arrival = f64(this.arrival);
    this.firstToken = f64(this.firstToken);
    this.input = i32(this.input);
    this.output = i32(this.output);
    this.model = i32(this.model);
    this.interval = i32(this.interval);
    this.prefillDone = i32(this.prefillDone);
    this.joinStep = i32(this.joinStep);
    this.freeList = i32(this.freeList);
  }
}
