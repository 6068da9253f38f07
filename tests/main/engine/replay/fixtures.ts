import { PlanFile, type PlanFileInput } from '../../../../src/shared/contract/planning';
import { defaultPricing } from '../../../../src/main/engine/money/prices';
import { createRng } from '../../../../src/main/engine/predictor/rng';
import type { ReplayRequest, ServiceModel } from '../../../../src/main/engine/replay/types';

/** A linear iteration-cost model: fixed overhead + per-sequence + per-KV-token decode, linear prefill. */
export function linearService(o: { baseMs?: number; perSeqMs?: number; perKvTokenUs?: number; prefillPerTokenUs?: number; kvTokenCapacity?: number; maxRunningSeqs?: number } = {}): ServiceModel {
  const base = (o.baseMs ?? 10) / 1000;
  const perSeq = (o.perSeqMs ?? 0.1) / 1000;
  const perKv = (o.perKvTokenUs ?? 0.01) / 1e6;
  const pre = (o.prefillPerTokenUs ?? 50) / 1e6;
  return {
    decodeStepSeconds: (n, kv) => base + perSeq * n + perKv * kv,
    prefillSeconds: (p) => pre * p,
    kvTokenCapacity: o.kvTokenCapacity ?? 200_000,
    maxRunningSeqs: o.maxRunningSeqs,
  };
}

/** Decode and prefill at a fixed cost whatever the batch: a deterministic server per sequence slot. */
export function constantService(decodeS: number, prefillS: number, maxRunningSeqs = 1): ServiceModel {
  return { decodeStepSeconds: () => decodeS, prefillSeconds: (p) => (p > 0 ? prefillS : 0), kvTokenCapacity: 1e9, maxRunningSeqs };
}

/** One hosted model on one deployment (plus an optional API overflow model), `instances` per interval. */
export function onePoolPlan(instances: number[], o: { intervalS?: number; spot?: number[]; overflowShare?: number[]; queueThreshold?: number | null; scaleUpDelayS?: number; slo?: { ttftP90Ms: number; tpotP90Ms: number }; interruptionsPerHour?: number; reservedGpus?: number } = {}): PlanFile {
  const hasApi = o.overflowShare != null || o.queueThreshold != null;
  const models = [{ name: 'hosted' }, ...(hasApi ? [{ name: 'api', api: { priceInPerM: 1, priceOutPerM: 2, rateLimitQps: null } }] : [])];
  const input: PlanFileInput = {
    kind: 'routeplan-plan',
    version: 1,
    mode: 'autoscale',
    intervalS: o.intervalS ?? 60,
    slo: o.slo ?? { ttftP90Ms: 1000, tpotP90Ms: 100 },
    models,
    deployments: [{ model: 0, gpuType: 'G', gpusPerInstance: 1, goodputPerInstance: 1 }],
    overflow: hasApi ? { model: 1, queueThreshold: o.queueThreshold ?? null } : null,
    scaleUpDelayS: o.scaleUpDelayS ?? 0,
    spotReplacementS: 60,
    pricing: [defaultPricing('G', 2, o.interruptionsPerHour != null ? { spotInterruptionsPerHour: o.interruptionsPerHour } : {})],
    tiers: [{ gpuType: 'G', reservedGpus: o.reservedGpus ?? 0, reservedTerm: '1y', spotGpusByInterval: instances.map(() => 0) }],
    intervals: instances.map((n, i) => ({
      demandRate: 1,
      inputTokens: 100,
      outputTokens: 10,
      routing: [hasApi ? [1, 0] : [1]],
      overflowShare: o.overflowShare?.[i] ?? 0,
      instances: [n],
      spotInstances: [o.spot?.[i] ?? 0],
      utilisation: [0],
      ttftP90Ms: models.map(() => null),
      tpotP90Ms: models.map(() => null),
      attainment: 1,
      cost: 0,
    })),
    sloAttainment: 1,
    monthlyCost: 0,
    money: { total: 0, byTier: { reserved: 0, onDemand: 0, spot: 0, api: 0 }, byGpuType: [], perMillionTokens: 0, perThousandRequests: 0 },
  };
  return PlanFile.parse(input);
}

/** Poisson arrivals at `rate` q/s for `durationS`, lengths fixed or drawn uniformly in [lo, hi]. */
export function* poisson(rate: number, durationS: number, seed: number, input: number | [number, number] = 100, output: number | [number, number] = 10): Generator<ReplayRequest> {
  const rng = createRng(seed);
  const draw = (x: number | [number, number]) => (typeof x === 'number' ? x : x[0] + Math.floor(rng.next() * (x[1] - x[0] + 1)));
  let t = 0;
  for (;;) {
    t += -Math.log(1 - rng.next()) / rate;
    if (t >= durationS) return;
    yield { t, inputTokens: draw(input), outputTokens: draw(output) };
  }
}
