import { afterAll, describe, expect, it } from 'vitest';
import { memoryEngine } from '../../../helpers/engine';
import type { AllocationResult, DeploymentCount, ExtendedForm } from '../../../../src/shared/contract/allocation';
import { ExtendedForm as ExtendedSchema } from '../../../../src/shared/contract/allocation';
import { evaluateWhatIf, prepareWhatIf } from '../../../../src/main/engine/allocation/whatif';
import { solveInnerAtMix } from '../../../../src/main/engine/allocation/mix-router';
import { latencyAtLoad } from '../../../../src/main/engine/allocation/deployment-performance';
import type { MeasuredPoint } from '../../../../src/main/engine/performance/types';
import { syntheticExtended } from './fixtures';

const engine = memoryEngine();
afterAll(() => engine.close());

/** 40 queries; the first 20 prefer the self-hosted model A, the rest are better off on API model B.
 *  `longFirst`: the A-preferring queries have 3,000-token prompts (else 100), the others the opposite. */
function twoModelForm(longFirst: boolean, withLengths = true): ExtendedForm {
  const n = 40;
  const quality = Array.from({ length: n }, (_, i) => (i < 20 ? [0.9, 0.5] : [0.1, 0.5]));
  const long = (i: number) => (i < 20) === longFirst;
  return ExtendedSchema.parse({
    form: 'extended',
    models: ['A', 'B'],
    quality,
    outputTokens: [100, 100],
    inputTokens: 1550,
    gpuTypes: [{ name: 'gpu0', count: 64, hourlyPrice: 2 }],
    deployments: [{ model: 'A', gpuType: 'gpu0', gpusPerInstance: 1, slotsPerInstance: 8, decodeTokensPerS: 50, prefillTokensPerS: 1000 }],
    apiModels: [{ model: 'B', priceInPerM: 1, priceOutPerM: 2 }],
    trafficQps: 10,
    maxUtilisation: 0.8,
    ...(withLengths
      ? {
          lengthBuckets: {
            tokens: [0, 1].map(() => [{ inputTokens: 100, outputTokens: 100 }, { inputTokens: 3000, outputTokens: 100 }]),
            bucketOf: Array.from({ length: n }, (_, i) => [long(i) ? 1 : 0, long(i) ? 1 : 0]),
          },
        }
      : {}),
  });
}

/** Fewest instances of A at which every A-preferring query gets A (what-if's routing). */
function instancesToServe(f: ExtendedForm): number {
  const ctx = prepareWhatIf(f);
  for (let c = 0; c <= 64; c++) {
    const r = evaluateWhatIf(ctx, Float64Array.of(c));
    if (r.status === 'ok' && r.models[0].share >= 0.5 - 1e-9) return c;
  }
  return Infinity;
}

describe('capacity by query length', () => {
  it('a model sent the long prompts needs more instances than one sent the short prompts, at the same count of queries', async () => {
    const longA = instancesToServe(twoModelForm(true));
    const shortA = instancesToServe(twoModelForm(false));
    expect(longA).toBeGreaterThan(shortA);
    // Without lengths the two samples are the same problem.
    expect(instancesToServe(twoModelForm(true, false))).toBe(instancesToServe(twoModelForm(false, false)));
    // At one count, the capacity what-if reports follows the routed mix.
    const at = (f: ExtendedForm) => evaluateWhatIf(prepareWhatIf(f), Float64Array.of(longA)).models[0];
    expect(at(twoModelForm(true)).capacityQps!).toBeLessThan(at(twoModelForm(false)).capacityQps!);
    expect(at(twoModelForm(true)).lengths!.inputTokens).toBeCloseTo(3000, 6);
    // The optimiser agrees: more instances for the long prompts, the same quality.
    const solve = async (f: ExtendedForm) => (await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000, mipGap: 0 })) as AllocationResult;
    const [rl, rs] = [await solve(twoModelForm(true)), await solve(twoModelForm(false))];
    expect(rl.objective!).toBeCloseTo(0.7, 9);
    expect(rs.objective!).toBeCloseTo(0.7, 9);
    const count = (r: AllocationResult) => (r.instances as DeploymentCount[])[0].count;
    expect(count(rl)).toBe(longA);
    expect(count(rs)).toBe(shortA);
  });

  it("the optimiser's plan fits every model's bucketed capacity, recomputed from the form, and what-if values it the same", async () => {
    for (const seed of [5, 6]) {
      const f = syntheticExtended(300, 6, 2, 40, seed, { api: 2, trafficQps: 30, lengths: true });
      const r = (await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000 })) as AllocationResult;
      expect(['optimal', 'feasible']).toContain(r.status);
      expect(r.lengthMix).toMatchObject({ buckets: 8 });
      const I = Float64Array.from((r.instances as DeploymentCount[]).map((x) => x.count));
      const ctx = prepareWhatIf(f);
      const w = evaluateWhatIf(ctx, I);
      expect(w.status).toBe('ok');
      expect(w.quality!).toBeCloseTo(r.objective!, 12);
      const x = solveInnerAtMix(ctx.problem, ctx.groups, I).assignment;
      // Every self-hosted model: Σ over its options of instances x ρ x harmonic-mix q/s (Little's
      // law at each routed query's own bucket lengths) carries its routed share of the traffic.
      const lb = f.lengthBuckets!;
      f.models.forEach((m, j) => {
        const routed = [...x.keys()].filter((i) => x[i] === j);
        const deps = f.deployments.map((d, di) => ({ d, di })).filter(({ d }) => d.model === m);
        if (!deps.length || !routed.length) return;
        let capacity = 0;
        for (const { d, di } of deps) {
          let seconds = 0;
          for (const i of routed) {
            const t = lb.tokens[j][lb.bucketOf[i][j]];
            seconds += (t.outputTokens / d.decodeTokensPerS! + t.inputTokens / d.prefillTokensPerS!) / d.slotsPerInstance!;
          }
          capacity += I[di] * f.maxUtilisation * (routed.length / seconds);
        }
        expect((f.trafficQps * routed.length) / f.quality.length).toBeLessThanOrEqual(capacity * (1 + 1e-9));
      });
    }
  });
});

describe("what-if's latencies from a deployment's own measurements", () => {
  // Open-loop points of one deployment at 1,000 / 200 tokens: p90s the estimator would not give.
  const point = (rate: number, ttft: number, tpot: number): MeasuredPoint => ({ model: 'Llama-3.1-8B', gpu: 'H100-80GB', gpus: 1, tp: 1, precision: 'bf16', engine: 'vllm', inputTokens: 1000, outputTokens: 200, rate, outputTokensPerS: rate * 200, ttftMs: { p90: ttft }, tpotMs: { p90: tpot }, source: 'test' });
  const measured = [point(1, 120, 14), point(2, 431, 31.5), point(4, 900, 97.8)];
  const describe_ = { architecture: 'Llama-3.1-8B', gpu: 'H100-80GB', gpus: 1, tp: 1, precision: 'bf16' as const, engine: 'vllm' as const, memoryGb: null };

  it('reproduces the measured p90 TTFT and TPOT at a measured load and says so', () => {
    for (const p of measured) {
      const at = latencyAtLoad(describe_, { inputTokens: 1000, outputTokens: 200 }, p.rate!, measured)!;
      expect(at.ttftP90Ms).toBe(p.ttftMs!.p90);
      expect(at.tpotP90Ms).toBe(p.tpotMs!.p90);
      expect(at).toMatchObject({ ttftSource: 'measured', tpotSource: 'measured' });
    }
    const est = latencyAtLoad(describe_, { inputTokens: 1000, outputTokens: 200 }, 2)!;
    expect(est).toMatchObject({ ttftSource: 'estimated', tpotSource: 'estimated' });
    expect(est.ttftP90Ms).not.toBe(431);
  });

  it('what-if reports them for a plan that loads one instance at a measured rate', () => {
    const f = ExtendedSchema.parse({
      form: 'extended',
      models: ['Llama-3.1-8B'],
      quality: Array.from({ length: 20 }, () => [0.8]),
      outputTokens: [200],
      inputTokens: 1000,
      gpuTypes: [{ name: 'H100-80GB', count: 8, hourlyPrice: 3 }],
      deployments: [{ model: 'Llama-3.1-8B', gpuType: 'H100-80GB', gpusPerInstance: 1, qpsPerInstance: 5, perf: { source: 'measured', maxConcurrency: 100, weightsGb: 16, kvCacheGb: 50, usableGb: 72, describe: describe_, measuredPoints: measured } }],
      trafficQps: 2,
      maxUtilisation: 0.8,
    });
    const m = evaluateWhatIf(prepareWhatIf(f), Float64Array.of(1)).models[0];
    // The load is the routed share x traffic (2 q/s up to rounding), so equal to the last bits.
    expect(m.ttftP90Ms).toBeCloseTo(431, 6);
    expect(m.tpotP90Ms).toBeCloseTo(31.5, 6);
    expect(m.latencySource).toEqual({ ttftP90Ms: 'measured', tpotP90Ms: 'measured' });
  });
});
