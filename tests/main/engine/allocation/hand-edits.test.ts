// Slow: every seeded instance runs every plan path, an exhaustive search and every single move.
// Plans that no hand edit beats, as a property over many seeded random small extended instances
// (capped and uncapped): every path that returns a plan — allocation.solve, whatif.optimise from the
// sliders and after a purchase, allocation.gpuSweep, whatif.sweep, and `routeplan allocate --input`
// as a process — returns one
//   - that matches exhaustive search over every count vector (exactly, up to float tolerance, where
//     the path was asked for gap 0; within its reported gap otherwise),
//   - where no single slider move (one instance more or fewer of one deployment) gives more quality
//     at no more cost or less cost at no less quality — the neighbourhood is enumerated here, not
//     taken from polish.exhausted,
//   - where no instance sits idle, and whose quality is the what-if figure of its counts;
// and procurement curves never fall. The instances are small enough that the exhaustive search is
// a few thousand evaluations each (bounded work, not wall time).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryEngine, scratchDir } from '../../../helpers/engine';
import { ensureBuilt, runCli, writeInput } from '../../../helpers/cli';
import type { AllocationResult, DeploymentCount, ExtendedForm, GpuSweepResult, SweepPoint, WhatIfResult } from '../../../../src/shared/contract/allocation';
import { fromExtendedForm, depCount, instanceUpperBounds, type AllocProblem } from '../../../../src/main/engine/allocation/problem';
import { planValue, polishPlan, type PlanValue } from '../../../../src/main/engine/allocation/polish';
import { prepareGroups, type GroupData } from '../../../../src/main/engine/allocation/inner';
import { ExtendedForm as ExtendedSchema } from '../../../../src/shared/contract/allocation';
import { lcg, syntheticExtended } from './fixtures';

const engine = memoryEngine();
afterAll(() => engine.close());

const Q = 1e-9; // quality: float tolerance only
const C = 1e-6; // $/hour
const maxSpace = 4_000; // count vectors an exhaustive search may visit

interface Instance {
  seed: number;
  form: ExtendedForm;
}

/**
 * A seeded random small instance: 3–5 models (1–2 by API, dear and good), two GPU types of 2–4 GPUs,
 * self-hosted models on 1 or 2 GPUs per instance on one or both types, 2–11 q/s, an hourly spend
 * cap 40 % of the time. Small GPU counts keep every count vector enumerable.
 */
function randomInstance(seed: number): Instance {
  const r = lcg(seed * 7919 + 17);
  const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const k = pick([3, 4, 5]);
  const api = pick([1, 2]);
  const n = pick([30, 40, 50]);
  // Models, per-query quality and token lengths from the shared fixture; GPUs, options, prices and cap drawn here.
  const base = syntheticExtended(n, k, 2, 8, seed, { api });
  const models = base.models;
  const gpuTypes = [0, 1].map((t) => ({ name: `gpu${t}`, count: 2 + Math.floor(r() * 3), hourlyPrice: 1 + t + Math.round(r() * 10) / 10 }));
  const deployments: ExtendedForm['deployments'] = [];
  for (let j = api; j < k; j++) {
    const size = pick([1, 1, 2]);
    const on = pick([[0], [1], [0, 1]]);
    for (const t of on) deployments.push({ model: models[j], gpuType: `gpu${t}`, gpusPerInstance: size, slotsPerInstance: 16 / size, decodeTokensPerS: (30 + 20 * t) * (1 + r() * 0.3), prefillTokensPerS: 2000 + 500 * t });
  }
  const capped = r() < 0.4;
  const form = ExtendedSchema.parse({
    ...base,
    gpuTypes,
    deployments,
    apiModels: models.slice(0, api).map((m, j) => ({ model: m, priceInPerM: 2.5 * (j + 1), priceOutPerM: 10 * (j + 1), rateLimitQps: j === 0 ? 1 + Math.floor(r() * 3) : null })),
    trafficQps: 2 + Math.floor(r() * 10),
    hourlySpendCap: capped ? 6 + Math.floor(r() * 30) : null,
  });
  return { seed, form };
}

/** The form with one GPU type's count set (a procurement point) or increased (a purchase). */
function withGpus(f: ExtendedForm, gpuType: string, count: (c: number) => number): ExtendedForm {
  return { ...f, gpuTypes: f.gpuTypes.map((g) => (g.name === gpuType ? { ...g, count: count(g.count) } : g)) };
}

function spaceSize(p: AllocProblem): number {
  return Array.from(instanceUpperBounds(p)).reduce((a, u) => a * (u + 1), 1);
}

// One search per distinct instance: solve, both optimises and the sweep's point at the inventory
// ask about the same form, so its answer is kept (keyed by the form itself).
const searched = new Map<string, { quality: number; cost: number; I: Float64Array } | null>();

/** Best quality over every count vector within the inventory, then the least cost at that quality. */
function exhaustive(p: AllocProblem, G: GroupData, key?: string): { quality: number; cost: number; I: Float64Array } | null {
  if (key !== undefined && searched.has(key)) return searched.get(key)!;
  const found = searchAll(p, G);
  if (key !== undefined) searched.set(key, found);
  return found;
}

function searchAll(p: AllocProblem, G: GroupData): { quality: number; cost: number; I: Float64Array } | null {
  const ub = instanceUpperBounds(p);
  const D = depCount(p);
  let best: { v: PlanValue; I: Float64Array } | null = null;
  const I = new Float64Array(D);
  const walk = (d: number) => {
    if (d === D) {
      const v = planValue(p, G, I);
      if (v.feasible && (!best || v.quality > best.v.quality + Q || (v.quality >= best.v.quality - Q && v.cost < best.v.cost))) best = { v, I: Float64Array.from(I) };
      return;
    }
    for (let c = 0; c <= ub[d]; c++) (I[d] = c), walk(d + 1);
    I[d] = 0;
  };
  walk(0);
  const b = best as { v: PlanValue; I: Float64Array } | null;
  return b ? { quality: b.v.quality, cost: b.v.cost, I: b.I } : null;
}

/** Every single slider move from I that beats it: more quality at no more cost, or less cost at no less quality. */
function beatingMoves(p: AllocProblem, G: GroupData, I: Float64Array, at: PlanValue, exact: boolean): string[] {
  const out: string[] = [];
  for (let d = 0; d < I.length; d++)
    for (const delta of [-1, 1]) {
      if (I[d] + delta < 0) continue;
      const J = Float64Array.from(I);
      J[d] += delta;
      const n = planValue(p, G, J);
      if (!n.feasible) continue;
      const dominates = (n.quality > at.quality + Q && n.cost <= at.cost + C) || (n.cost < at.cost - C && n.quality >= at.quality - Q);
      // At gap 0 no move may raise quality at all, whatever it costs.
      if (dominates || (exact && n.quality > at.quality + Q)) out.push(`deployment ${d} ${delta > 0 ? '+1' : '-1'}: ${n.quality} at $${n.cost.toFixed(4)}/h vs ${at.quality} at $${at.cost.toFixed(4)}/h`);
    }
  return out;
}

function counts(p: AllocProblem, rows: DeploymentCount[]): Float64Array {
  const I = new Float64Array(depCount(p));
  for (const r of rows) {
    const d = [...I.keys()].find((e) => p.models[p.dep.model[e]] === r.model && p.gpuTypes[p.dep.gpuType[e]].name === r.gpuType);
    expect(d, `${r.model}@${r.gpuType}`).toBeDefined();
    I[d!] = r.count;
  }
  return I;
}

interface Checked {
  quality: number;
  cost: number;
}

/**
 * The plan properties every path owes: its value against exhaustive search (exact at gap 0, else
 * within its reported gap), no beating single move, no idle instance, and (with a what-if context)
 * one quality figure.
 */
async function checkPlan(label: string, f: ExtendedForm, rows: DeploymentCount[], objective: number, o: { exact: boolean; gap?: number | null; bound?: number | null; contextId?: string; purchase?: Record<string, number> }): Promise<Checked> {
  const form = o.purchase ? Object.entries(o.purchase).reduce((g, [t, n]) => withGpus(g, t, (c) => c + n), f) : f;
  const p = fromExtendedForm(form);
  const G = prepareGroups(p);
  const I = counts(p, rows);
  const at = planValue(p, G, I);
  expect(at.feasible, `${label}: the plan fits its inventory and cap`).toBe(true);
  expect(Math.abs(at.quality - objective), `${label}: the reported objective is the plan's value`).toBeLessThan(1e-12);
  expect(beatingMoves(p, G, I, at, o.exact), `${label}: single moves that beat the plan`).toEqual([]);
  // Every hosted model with instances carries traffic (idle capacity is trimmed on every path).
  for (let j = 0; j < p.k; j++) {
    if (!p.hosted[j]) continue;
    let inst = 0;
    for (let d = 0; d < I.length; d++) if (p.dep.model[d] === j) inst += I[d];
    const routed = at.inner.assignment.some((a) => a === j);
    if (inst > 0) expect(routed, `${label}: ${p.models[j]} has ${inst} instances and no traffic`).toBe(true);
  }
  if (spaceSize(p) <= maxSpace) {
    const best = exhaustive(p, G, JSON.stringify(form))!;
    expect(at.quality, `${label}: no count vector has more quality`).toBeLessThanOrEqual(best.quality + Q);
    if (o.exact) {
      expect(at.quality, `${label}: exact at gap 0`).toBeGreaterThanOrEqual(best.quality - Q);
      // Best quality, then the cheapest fleet that keeps it.
      expect(at.cost, `${label}: no cheaper plan of the same quality`).toBeLessThanOrEqual(best.cost + C);
    } else {
      // Within the reported gap of the proven bound, which is at least the exhaustive optimum.
      expect(o.gap, `${label}: a gap is reported`).not.toBeNull();
      expect(at.quality, `${label}: within the reported gap`).toBeGreaterThanOrEqual(best.quality - o.gap! * Math.abs(o.bound ?? best.quality) - Q);
    }
  }
  if (o.contextId) {
    const shown = (await engine.call('whatif.evaluate', { contextId: o.contextId, instances: rows, purchase: o.purchase ?? {} })) as WhatIfResult;
    expect(shown.status).toBe('ok');
    expect(Math.abs(shown.quality! - at.quality), `${label}: one quality figure`).toBeLessThan(1e-12);
  }
  return { quality: at.quality, cost: at.cost };
}

const seeds = Array.from({ length: 14 }, (_, i) => 101 + i);

describe('allocation plans cannot be beaten by hand (property over seeded random instances)', () => {
  it('covers capped and uncapped instances small enough for exhaustive search', () => {
    const all = seeds.map(randomInstance);
    expect(all.filter((x) => x.form.hourlySpendCap != null).length).toBeGreaterThanOrEqual(3);
    expect(all.filter((x) => x.form.hourlySpendCap == null).length).toBeGreaterThanOrEqual(3);
    expect(all.filter((x) => spaceSize(fromExtendedForm(x.form)) <= maxSpace).length).toBeGreaterThanOrEqual(10);
  });

  for (const seed of seeds)
    it(`seed ${seed}: solve at gap 0, optimise (sliders, after a purchase), the GPU sweep and the procurement sweep`, async () => {
      const { form: f } = randomInstance(seed);
      const solved = (await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000, mipGap: 0 })) as AllocationResult;
      const p = fromExtendedForm(f);
      if (solved.status === 'infeasible') {
        // Infeasible only when no count vector is feasible.
        if (spaceSize(p) <= maxSpace) expect(exhaustive(p, prepareGroups(p))).toBeNull();
        return;
      }
      const base = await checkPlan('solve', f, solved.instances as DeploymentCount[], solved.objective!, { exact: true });
      if (solved.status === 'optimal') expect(solved.gap!).toBeLessThanOrEqual(1e-9);

      const { contextId } = (await engine.call('whatif.prepare', { problem: f })) as { contextId: string };
      // From the solved plan's sliders: never worse than them.
      const again = (await engine.call('whatif.optimise', { contextId, instances: solved.instances, timeLimitMs: 20_000 })) as AllocationResult;
      const againAt = await checkPlan('optimise', f, again.instances as DeploymentCount[], again.objective!, { exact: false, gap: again.gap, bound: again.bound, contextId });
      expect(againAt.quality).toBeGreaterThanOrEqual(base.quality - Q);
      // From nothing on the sliders (the uniform split and the solver compete).
      const fresh = (await engine.call('whatif.optimise', { contextId, timeLimitMs: 20_000 })) as AllocationResult;
      if (fresh.status !== 'infeasible') await checkPlan('optimise from empty sliders', f, fresh.instances as DeploymentCount[], fresh.objective!, { exact: false, gap: fresh.gap, bound: fresh.bound, contextId });

      // Buying GPUs never lowers the optimum, and the plan after a purchase is as unbeatable.
      const gpu = f.gpuTypes[0].name;
      const purchase = { [gpu]: 4 };
      const bought = (await engine.call('whatif.optimise', { contextId, purchase, instances: again.instances, timeLimitMs: 20_000 })) as AllocationResult;
      const boughtAt = await checkPlan('optimise after a purchase', f, bought.instances as DeploymentCount[], bought.objective!, { exact: false, gap: bought.gap, bound: bought.bound, contextId, purchase });
      expect(boughtAt.quality).toBeGreaterThanOrEqual(againAt.quality - Q);

      // The procurement sweep of the what-if screen never falls.
      const sweep = (await engine.call('whatif.sweep', { contextId, gpuType: gpu, maxBuy: 4, steps: 3, timeLimitMs: 6_000 })) as SweepPoint[];
      const q = sweep.filter((s) => s.quality != null).map((s) => s.quality!);
      for (let s = 1; s < q.length; s++) expect(q[s], `whatif.sweep point ${s}`).toBeGreaterThanOrEqual(q[s - 1] - Q);

      // allocation.gpuSweep at gap 0: each point exact and unbeatable, the curve never falls.
      const have = f.gpuTypes[0].count;
      const gpus = [Math.max(0, have - 2), have, have + 2];
      const curve = (await engine.call('allocation.gpuSweep', { problem: f, gpus, gpuType: gpu, timeLimitMs: 30_000, mipGap: 0 })) as GpuSweepResult;
      let last = -Infinity;
      for (const pt of curve.points) {
        if (pt.objective == null) continue;
        await checkPlan(`gpuSweep at ${pt.gpus} ${gpu}`, withGpus(f, gpu, () => pt.gpus), pt.instances as DeploymentCount[], pt.objective, { exact: true });
        expect(pt.objective, `gpuSweep at ${pt.gpus}`).toBeGreaterThanOrEqual(last - Q);
        last = pt.objective;
      }
      const atHave = curve.points.find((x) => x.gpus === have)!;
      expect(Math.abs(atHave.objective! - base.quality), 'the sweep at the inventory agrees with solve').toBeLessThanOrEqual(Q);
    });
});

describe('routeplan allocate --input, as a process', () => {
  const scratch = scratchDir('routeplan-hand-edits-');
  beforeAll(ensureBuilt);
  afterAll(() => scratch.cleanup());

  for (const seed of seeds.slice(0, 3))
    it(`seed ${seed}: the CLI's plan at --gap 0 is exact and unbeatable`, async () => {
      const { form: f } = randomInstance(seed);
      const r = runCli(['allocate', '--input', writeInput(scratch.dir, `alloc-${seed}.json`, f), '--gap', '0', '--json', '--workspace', join(scratch.dir, 'w.sqlite')]);
      const out = r.json() as AllocationResult;
      if (out.status === 'infeasible') {
        // Said by the exit code too, and true: no count vector is feasible.
        expect(r.code).not.toBe(0);
        const p = fromExtendedForm(f);
        if (spaceSize(p) <= maxSpace) expect(exhaustive(p, prepareGroups(p))).toBeNull();
        return;
      }
      expect(r.code, r.err).toBe(0);
      await checkPlan('cli allocate', f, out.instances as DeploymentCount[], out.objective!, { exact: true });
    });
});

describe('polishPlan', () => {
  it('starts from a deliberately beatable plan and returns the better one', () => {
    let tried = 0;
    // More seeds than the paths use: a start one move below the optimum needs an optimum with instances.
    for (let seed = 101; seed < 181; seed++) {
      const { form: f } = randomInstance(seed);
      const p = fromExtendedForm(f);
      if (spaceSize(p) > maxSpace) continue;
      const G = prepareGroups(p);
      const best = exhaustive(p, G);
      if (!best) continue;
      // The exhaustive optimum one instance short of a deployment it needs: feasible, lower
      // quality, nothing idle to trim, and one slider move from the optimum.
      const D = depCount(p);
      const top = best.I;
      let start: { I: Float64Array; v: PlanValue } | null = null;
      for (let d = 0; d < D && !start; d++) {
        if (!(top[d] > 0)) continue;
        const less = Float64Array.from(top);
        less[d] -= 1;
        const v = planValue(p, G, less);
        if (v.feasible && v.quality < best.quality - 1e-6) start = { I: less, v };
      }
      if (!start) continue;
      tried++;
      const r = polishPlan(p, [{ label: 'hand', instances: start.I }], { timeLimitMs: 60_000 })!;
      expect(r.moves, `seed ${seed}: moves taken`).toBeGreaterThan(0);
      expect(r.value.quality, `seed ${seed}: the polished plan is better`).toBeGreaterThan(start.v.quality + 1e-6);
      expect(beatingMoves(p, G, r.instances, r.value, false), `seed ${seed}`).toEqual([]);
    }
    expect(tried).toBeGreaterThanOrEqual(3);
  });
});

describe('capacities by query length', () => {
  it('matches exhaustive search over every count vector with capacities by query length (the routed length mix)', async () => {
    const lengths = true;
    for (const seed of [21, 22]) {
      const f = syntheticExtended(60, 4, 2, 6, seed, { api: 1, trafficQps: 6, lengths });
      const p = fromExtendedForm(f);
      const G = prepareGroups(p);
      const ub = instanceUpperBounds(p);
      const D = depCount(p);
      let best = -Infinity;
      let bestCost = Infinity;
      const I = new Float64Array(D);
      const walk = (d: number) => {
        if (d === D) {
          const v = planValue(p, G, I);
          if (v.feasible && (v.quality > best + Q || (v.quality >= best - Q && v.cost < bestCost))) (best = v.quality), (bestCost = v.cost);
          return;
        }
        for (let c = 0; c <= ub[d]; c++) (I[d] = c), walk(d + 1);
        I[d] = 0;
      };
      walk(0);
      const r = (await engine.call('allocation.solve', { problem: f, timeLimitMs: 20_000, mipGap: 0 })) as AllocationResult;
      expect(r.objective!).toBeGreaterThanOrEqual(best - 1e-3 * Math.abs(best) - Q);
      // The certified gap: the reported bound is above every count vector's value.
      expect(r.bound!).toBeGreaterThanOrEqual(best - Q);
      if (r.objective! >= best - Q) expect(planValue(p, G, Float64Array.from((r.instances as DeploymentCount[]).map((x) => x.count))).cost).toBeLessThanOrEqual(bestCost + C);
    }
  });
});
