import type { PlanFile } from '../../../shared/contract/planning';
import { EngineError } from '../../../shared/errors';
import { createRng, type Rng } from '../predictor/rng';
import { quietContext, type JobContext } from '../jobs/context';
import { LatencyHistogram, TimeHeap } from './structures';
import { ControlQueue, StepIntegral } from './fleet';
import { InstanceTable, ACTIVE, DRAINING, PENDING, STOPPED } from './instances';
import { RequestSlots } from './requests';
import { buildReport, type ReplayTally } from './report';
import type { ReplayOptions, ReplayReport, ReplayRequest, ServiceModel } from './types';

// Discrete-event replay of a plan under continuous batching (the way vLLM, SGLang and TensorRT-LLM
// serve). Per instance, an iteration decodes one token for every running sequence and prefills up
// to `prefillTokenBudget` prompt tokens of the admitted sequences in FIFO order (chunked prefill);
// its time is decodeStepSeconds(running, kv resident) + prefillSeconds(chunk, context before).
// While nothing is prefilling, the batch is constant until the next completion, so that whole run
// of decode steps is one event (its step time taken at the run's mean KV size); an arrival cuts
// the run at the iteration it lands in. Admission is FCFS and reserves the request's whole KV
// footprint (input + output tokens), so sequences are never preempted. A sequence's first token
// comes out of the iteration that finishes its prompt (TTFT = that time - arrival); TPOT = (end -
// first token) / (output tokens - 1).
//
// Routing, per arrival: with the interval's overflowShare it goes to the overflow API model (if
// the API's rate limit allows); else a model is drawn from the interval's shares for its input-
// length bucket (seeded); an API model serves it at once; a hosted model's request joins the
// least-loaded instance in service (waiting + running, divided by the deployment's goodput), or
// overflows when that instance already has `queueThreshold` waiting (the plan's overflow
// setting). With no instance in service and no overflow allowed, the request is dropped.
//
// Fleet: at each interval boundary the plan's per-deployment counts (regular and spot apart) are
// met: new instances are paid from the order and serve after scaleUpDelayS (the first interval's
// fleet is up at time 0); surplus ones stop taking requests and stop being paid once they are
// empty. Spot instances are interrupted at their rate (exponential); their requests restart from
// scratch elsewhere (arrival times kept) and a replacement arrives after spotReplacementS.

export function replayPlan(plan: PlanFile, services: ServiceModel[], requests: Iterable<ReplayRequest>, options: ReplayOptions = {}): ReplayReport {
  if (services.length !== plan.deployments.length) throw new EngineError('INVALID_INPUT', `expected ${plan.deployments.length} service models (one per deployment), got ${services.length}`);
  return new Replay(plan, services, options).run(requests);
}

class Replay {
  private readonly rng: Rng;
  private readonly ctx: JobContext;
  private readonly budget: number;
  private readonly maxQueue: number;
  private readonly apiWithinSlo: boolean;
  private readonly nIv: number;
  private readonly horizonS: number;
  private readonly req = new RequestSlots();
  private readonly heap = new TimeHeap();
  private readonly control = new ControlQueue();
  private readonly t: ReplayTally;
  private readonly inst = new InstanceTable();
  // Per model: instances in service. Per deployment: regular and spot instances ordered or up.
  private readonly inService: number[][];
  /** Per model: its instances in service keyed by load, so the least loaded is found in O(1). */
  private readonly byLoad: TimeHeap[];
  private readonly live: { regular: number[]; spot: number[] }[];
  private readonly gpuIndex: Map<string, number>;
  private readonly apiTokens: Float64Array;
  private readonly apiLast: Float64Array;

  constructor(
    private readonly plan: PlanFile,
    private readonly services: ServiceModel[],
    o: ReplayOptions,
  ) {
    this.rng = createRng(o.seed ?? 1);
    this.ctx = o.ctx ?? quietContext();
    this.budget = Math.max(1, Math.floor(o.prefillTokenBudget ?? 2048));
    this.maxQueue = o.maxQueuePerInstance ?? Infinity;
    this.apiWithinSlo = o.apiWithinSlo ?? true;
    this.nIv = plan.intervals.length;
    this.horizonS = this.nIv * plan.intervalS;
    this.inService = plan.models.map(() => []);
    this.byLoad = plan.models.map(() => new TimeHeap());
    this.live = plan.deployments.map(() => ({ regular: [], spot: [] }));
    this.gpuIndex = new Map(plan.pricing.map((p, i) => [p.gpuType, i]));
    const reserved = plan.pricing.map((p) => plan.tiers.find((x) => x.gpuType === p.gpuType)?.reservedGpus ?? 0);
    this.apiTokens = new Float64Array(plan.models.length).fill(Infinity);
    this.apiLast = new Float64Array(plan.models.length);
    plan.models.forEach((m, i) => {
      if (m.api?.rateLimitQps) this.apiTokens[i] = Math.max(1, m.api.rateLimitQps);
    });
    const D = plan.deployments.length;
    this.t = {
      arrivals: new Float64Array(this.nIv),
      served: new Float64Array(this.nIv),
      api: new Float64Array(this.nIv),
      overflowed: new Float64Array(this.nIv),
      dropped: new Float64Array(this.nIv),
      attained: new Float64Array(this.nIv),
      queueSeen: new Float64Array(this.nIv),
      routed: new Float64Array(this.nIv),
      servedByDep: new Float64Array(this.nIv * D),
      busyByDep: new Float64Array(this.nIv * D),
      activeByDep: plan.deployments.map(() => new StepIntegral(plan.intervalS, this.nIv)),
      regularGpus: plan.pricing.map((_, g) => new StepIntegral(plan.intervalS, this.nIv, reserved[g])),
      spotGpus: plan.pricing.map(() => new StepIntegral(plan.intervalS, this.nIv)),
      apiIn: new Float64Array(plan.models.length),
      apiOut: new Float64Array(plan.models.length),
      ttft: new LatencyHistogram(),
      tpot: new LatencyHistogram(),
      restarted: 0,
      tokens: 0,
      events: 0,
    };
  }

  run(requests: Iterable<ReplayRequest>): ReplayReport {
    for (let i = 0; i < this.nIv; i++) this.control.push(i * this.plan.intervalS, 0, i);
    this.control.push(this.horizonS, 3, 0);
    let last = -Infinity;
    let n = 0;
    for (const r of requests) {
      if (!(r.t >= last)) throw new EngineError('INVALID_INPUT', `requests must be in time order: request ${n} at t = ${r.t} s follows t = ${last} s`, { index: n });
      if (!(r.inputTokens >= 0 && r.outputTokens >= 1)) throw new EngineError('INVALID_INPUT', `request ${n}: input tokens must be >= 0 and output tokens >= 1 (got ${r.inputTokens}, ${r.outputTokens})`, { index: n });
      last = r.t;
      this.advance(r.t);
      this.arrive(r);
      if ((++n & 0xffff) === 0) {
        this.ctx.check();
        this.ctx.progress({ stage: 'replay', fraction: Math.min(1, r.t / this.horizonS), metrics: { requests: n } });
      }
    }
    this.advance(Infinity);
    this.ctx.progress({ stage: 'replay', fraction: 1, metrics: { requests: n } });
    return buildReport(this.plan, this.t, this.horizonS);
  }

  /** Processes every control and instance event up to time t, in time order (control first on ties). */
  private advance(t: number): void {
    for (;;) {
      const ti = this.heap.topTime();
      const tc = this.control.topTime();
      if (tc <= ti) {
        if (tc > t || tc === Infinity) return;
        this.onControl();
      } else {
        if (ti > t) return;
        this.onIteration(this.heap.topId(), ti);
      }
    }
  }

  private onControl(): void {
    const e = this.control.pop();
    if (e.kind === 0) this.onBoundary(e.a, e.t);
    else if (e.kind === 1) this.onReady(e.a, e.t);
    else if (e.kind === 2) this.onInterrupt(e.a, e.t);
    else for (const d of this.live) for (const k of [...d.regular, ...d.spot]) this.retire(k, e.t);
  }

  private onBoundary(i: number, now: number): void {
    const iv = this.plan.intervals[i];
    const delay = i === 0 ? 0 : this.plan.scaleUpDelayS;
    this.plan.deployments.forEach((_, d) => {
      const spotTarget = iv.spotInstances[d];
      this.meet(d, false, iv.instances[d] - spotTarget, now, delay);
      this.meet(d, true, spotTarget, now, delay);
    });
  }

  /** Orders or retires instances of one deployment and tier to reach `target`. */
  private meet(d: number, spot: boolean, target: number, now: number, delay: number): void {
    const group = spot ? this.live[d].spot : this.live[d].regular;
    while (group.length < target) this.order(d, spot, now, now + delay);
    if (group.length > target) {
      // Pending instances go first, then the least loaded.
      const order = [...group].sort((a, b) => this.inst.state[a] - this.inst.state[b] || this.load(a) - this.load(b));
      let excess = group.length - target;
      for (const k of order) {
        if (excess-- <= 0) break;
        this.retire(k, now);
      }
    }
  }

  private order(d: number, spot: boolean, now: number, readyAt: number): void {
    const k = this.inst.add(d, spot, 1 / this.plan.deployments[d].goodputPerInstance, this.services[d]);
    (spot ? this.live[d].spot : this.live[d].regular).push(k);
    this.payChange(k, now, 1);
    if (readyAt <= now) this.onReady(k, now);
    else this.control.push(readyAt, 1, k);
  }

  private onReady(k: number, now: number): void {
    if (this.inst.state[k] !== PENDING) return;
    this.inst.state[k] = ACTIVE;
    const m = this.plan.deployments[this.inst.dep[k]].model;
    this.inService[m].push(k);
    this.byLoad[m].set(k, this.load(k));
    this.t.activeByDep[this.inst.dep[k]].change(now, 1);
    if (this.inst.spot[k]) {
      const rate = this.plan.pricing[this.gpuIndex.get(this.plan.deployments[this.inst.dep[k]].gpuType)!].spotInterruptionsPerHour / 3600;
      if (rate > 0) this.control.push(now - Math.log(1 - this.rng.next()) / rate, 2, k);
    }
  }

  /** Stops routing to k; it stops (and stops being paid) once its work is done. */
  private retire(k: number, now: number): void {
    const s = this.inst.state[k];
    if (s === STOPPED || s === DRAINING) return;
    this.unlist(k);
    if (s === ACTIVE) {
      this.leaveService(k, now);
      this.inst.state[k] = DRAINING;
      if (!this.scheduled(k)) this.stop(k, now);
    } else this.stop(k, now);
  }

  private onInterrupt(k: number, now: number): void {
    if (this.inst.state[k] !== ACTIVE) return;
    const d = this.inst.dep[k];
    this.unlist(k);
    this.leaveService(k, now);
    const slots = [...this.inst.running[k].drain()];
    while (this.inst.prefill[k].size) slots.push(this.inst.prefill[k].shift());
    while (this.inst.waiting[k].size) slots.push(this.inst.waiting[k].shift());
    if (this.scheduled(k)) this.t.busyByDep[this.ivOf(this.inst.segStart[k]) * this.plan.deployments.length + d] += now - this.inst.segStart[k];
    this.stop(k, now);
    this.order(d, true, now, now + this.plan.spotReplacementS);
    for (const s of slots) {
      this.req.restart(s);
      this.t.restarted++;
      this.dispatch(s, this.req.model[s], now);
    }
  }

  private stop(k: number, now: number): void {
    this.inst.state[k] = STOPPED;
    this.heap.set(k, Infinity);
    this.payChange(k, now, -1);
  }

  private unlist(k: number): void {
    const g = this.live[this.inst.dep[k]];
    const list = this.inst.spot[k] ? g.spot : g.regular;
    const i = list.indexOf(k);
    if (i >= 0) list.splice(i, 1);
  }

  private leaveService(k: number, now: number): void {
    const m = this.plan.deployments[this.inst.dep[k]].model;
    const list = this.inService[m];
    const i = list.indexOf(k);
    if (i >= 0) list.splice(i, 1);
    this.byLoad[m].set(k, Infinity);
    this.t.activeByDep[this.inst.dep[k]].change(now, -1);
  }

  private payChange(k: number, now: number, sign: 1 | -1): void {
    const d = this.plan.deployments[this.inst.dep[k]];
    const g = this.gpuIndex.get(d.gpuType)!;
    (this.inst.spot[k] ? this.t.spotGpus : this.t.regularGpus)[g].change(now, sign * d.gpusPerInstance);
  }

  private load(k: number): number {
    return this.inst.outstanding[k] * this.inst.invGoodput[k];
  }

  private ivOf(t: number): number {
    return Math.max(0, Math.min(this.nIv - 1, Math.floor(t / this.plan.intervalS)));
  }

  // ---- requests ----

  private arrive(r: ReplayRequest): void {
    const iv = this.ivOf(r.t);
    const pi = this.plan.intervals[iv];
    this.t.arrivals[iv]++;
    this.t.tokens += r.inputTokens + r.outputTokens;
    const s = this.req.alloc(r.t, r.inputTokens, r.outputTokens, iv);
    const of = this.plan.overflow;
    if (of && pi.overflowShare > 0 && this.rng.next() < pi.overflowShare && this.apiAdmit(of.model, r.t)) return this.toApi(s, of.model, true);
    const m = r.model ?? this.drawModel(pi.routing, r.inputTokens);
    if (this.plan.models[m]?.api) {
      if (this.apiAdmit(m, r.t)) this.toApi(s, m, false);
      else this.drop(s);
      return;
    }
    this.dispatch(s, m, r.t);
  }

  private drawModel(routing: number[][], input: number): number {
    const edges = this.plan.lengthBuckets;
    let b = 0;
    while (b < edges.length && input > edges[b]) b++;
    const row = routing[b];
    let u = this.rng.next();
    for (let m = 0; m < row.length; m++) {
      u -= row[m];
      if (u < 0) return m;
    }
    return row.length - 1;
  }

  /** Sends slot s to the least-loaded instance of model m in service (or overflow, or drop). */
  private dispatch(s: number, m: number, now: number): void {
    this.req.model[s] = m;
    const need = this.req.input[s] + this.req.output[s];
    let best = this.byLoad[m]?.topId() ?? -1;
    if (best >= 0 && this.inst.kvCap[best] < need) {
      // The least loaded cannot hold this request: the least loaded of those that can.
      best = -1;
      let bestLoad = Infinity;
      for (const k of this.inService[m]) {
        const l = this.load(k);
        if (l < bestLoad && this.inst.kvCap[k] >= need) {
          bestLoad = l;
          best = k;
        }
      }
    }
    const of = this.plan.overflow;
    const iv = this.req.interval[s];
    if (best < 0) {
      if (of && this.apiAdmit(of.model, now)) this.toApi(s, of.model, true);
      else this.drop(s);
      return;
    }
    const queued = this.inst.waiting[best].size;
    if (of && of.queueThreshold != null && queued >= of.queueThreshold && this.apiAdmit(of.model, now)) return this.toApi(s, of.model, true);
    if (queued >= this.maxQueue) return this.drop(s);
    this.t.queueSeen[iv] += queued;
    this.t.routed[iv]++;
    this.enqueue(best, s, now);
  }

  private apiAdmit(m: number, now: number): boolean {
    const limit = this.plan.models[m].api?.rateLimitQps;
    if (!limit) return true;
    this.apiTokens[m] = Math.min(Math.max(1, limit), this.apiTokens[m] + (now - this.apiLast[m]) * limit);
    this.apiLast[m] = now;
    if (this.apiTokens[m] < 1) return false;
    this.apiTokens[m] -= 1;
    return true;
  }

  private toApi(s: number, m: number, overflow: boolean): void {
    const iv = this.req.interval[s];
    (overflow ? this.t.overflowed : this.t.api)[iv]++;
    if (this.apiWithinSlo) this.t.attained[iv]++;
    this.t.apiIn[m] += this.req.input[s];
    this.t.apiOut[m] += this.req.output[s];
    this.req.free(s);
  }

  private drop(s: number): void {
    this.t.dropped[this.req.interval[s]]++;
    this.req.free(s);
  }

  // ---- instances ----

  private enqueue(k: number, s: number, now: number): void {
    const wasEmpty = this.inst.waiting[k].size === 0;
    this.inst.waiting[k].push(s);
    this.inst.outstanding[k]++;
    if (this.inst.state[k] === ACTIVE) this.byLoad[this.req.model[s]].set(k, this.load(k));
    if (this.scheduled(k)) {
      // Cut a run of decode steps at the iteration the arrival lands in, if it can be admitted then.
      if (this.inst.segBulk[k] && this.inst.segSteps[k] > 1 && wasEmpty && this.admissible(k, s)) {
        const j = Math.floor((now - this.inst.segStart[k]) / this.inst.stepTime[k]) + 1;
        if (j < this.inst.segSteps[k]) {
          this.inst.segSteps[k] = j;
          this.heap.set(k, this.inst.segStart[k] + j * this.inst.stepTime[k]);
        }
      }
      return;
    }
    this.admit(k);
    this.startNext(k, now);
  }

  private scheduled(k: number): boolean {
    return this.inst.scheduledAt[k] !== Infinity;
  }

  private admissible(k: number, s: number): boolean {
    return this.inst.prefill[k].size + this.inst.decoding[k] < this.inst.maxSeqs[k] && this.inst.kvReserved[k] + this.req.input[s] + this.req.output[s] <= this.inst.kvCap[k];
  }

  private admit(k: number): void {
    const w = this.inst.waiting[k];
    while (w.size && this.admissible(k, w.peek())) {
      const s = w.shift();
      this.inst.kvReserved[k] += this.req.input[s] + this.req.output[s];
      this.inst.prefillLeft[k] += this.req.input[s];
      this.inst.prefill[k].push(s);
    }
  }

  private startNext(k: number, now: number): void {
    const svc = this.services[this.inst.dep[k]];
    const n = this.inst.decoding[k];
    this.inst.segStart[k] = now;
    let end: number;
    if (this.inst.prefill[k].size) {
      const chunk = Math.min(this.budget, this.inst.prefillLeft[k]);
      const head = this.inst.prefill[k].peek();
      const dt = (n ? svc.decodeStepSeconds(n, this.inst.kvBase[k] + n * this.inst.step[k]) : 0) + (chunk > 0 ? svc.prefillSeconds(chunk, this.req.prefillDone[head]) : 0);
      this.inst.segSteps[k] = 1;
      this.inst.segChunk[k] = chunk;
      this.inst.segBulk[k] = 0;
      this.inst.stepTime[k] = dt;
      end = now + dt;
    } else if (n) {
      const steps = this.inst.running[k].minKey() - this.inst.step[k];
      const tau = svc.decodeStepSeconds(n, this.inst.kvBase[k] + n * (this.inst.step[k] + (steps - 1) / 2));
      this.inst.segSteps[k] = steps;
      this.inst.segChunk[k] = 0;
      this.inst.segBulk[k] = 1;
      this.inst.stepTime[k] = tau;
      end = now + steps * tau;
    } else {
      this.inst.scheduledAt[k] = Infinity;
      this.heap.set(k, Infinity);
      if (this.inst.state[k] === DRAINING) this.stop(k, now);
      return;
    }
    this.inst.scheduledAt[k] = end;
    this.heap.set(k, end);
  }

  private onIteration(k: number, now: number): void {
    this.t.events++;
    const d = this.inst.dep[k];
    this.t.busyByDep[this.ivOf(this.inst.segStart[k]) * this.plan.deployments.length + d] += now - this.inst.segStart[k];
    this.inst.step[k] += this.inst.segSteps[k];
    const step = this.inst.step[k];
    let left = this.inst.segChunk[k];
    const pf = this.inst.prefill[k];
    const rq = this.req;
    while (left > 0 || (pf.size && rq.prefillDone[pf.peek()] >= rq.input[pf.peek()])) {
      const s = pf.peek();
      const take = Math.min(rq.input[s] - rq.prefillDone[s], left);
      rq.prefillDone[s] += take;
      left -= take;
      this.inst.prefillLeft[k] -= take;
      if (rq.prefillDone[s] < rq.input[s]) break;
      pf.shift();
      rq.firstToken[s] = now;
      if (rq.output[s] <= 1) this.complete(k, s, now, false);
      else {
        rq.joinStep[s] = step;
        this.inst.kvBase[k] += rq.input[s] + 1 - step;
        this.inst.decoding[k]++;
        this.inst.running[k].push(step + rq.output[s] - 1, s);
      }
      if (!pf.size) break;
    }
    const run = this.inst.running[k];
    while (run.size && run.minKey() <= step) this.complete(k, run.pop(), now, true);
    this.admit(k);
    this.startNext(k, now);
  }

  private complete(k: number, s: number, now: number, decoded: boolean): void {
    const rq = this.req;
    const iv = rq.interval[s];
    const ttftMs = (rq.firstToken[s] - rq.arrival[s]) * 1000;
    const tpotMs = rq.output[s] > 1 ? ((now - rq.firstToken[s]) * 1000) / (rq.output[s] - 1) : 0;
    this.t.ttft.add(ttftMs);
    if (rq.output[s] > 1) this.t.tpot.add(tpotMs);
    this.t.served[iv]++;
    this.t.servedByDep[iv * this.plan.deployments.length + this.inst.dep[k]]++;
    if (ttftMs <= this.plan.slo.ttftP90Ms && tpotMs <= this.plan.slo.tpotP90Ms) this.t.attained[iv]++;
    this.inst.kvReserved[k] -= rq.input[s] + rq.output[s];
    this.inst.outstanding[k]--;
    if (this.inst.state[k] === ACTIVE) this.byLoad[rq.model[s]].set(k, this.load(k));
    if (decoded) {
      this.inst.decoding[k]--;
      this.inst.kvBase[k] -= rq.input[s] + 1 - rq.joinStep[s];
    }
    rq.free(s);
  }
}
