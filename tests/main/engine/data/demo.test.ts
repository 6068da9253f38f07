import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTypedProfile } from '../../../../src/main/engine/performance/physics';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import { listCatalog, listDeployments, listInventory } from '../../../../src/main/engine/store/catalog';
import { createDemo, generateDemo } from '../../../../src/main/engine/data/demo';
import { demoModels } from '../../../../src/main/engine/data/demo-models';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { memoryEngine, repoRoot } from '../../../helpers/engine';

const published = JSON.parse(readFileSync(join(repoRoot, '../shared/reference/seed-figures.json'), 'utf8')).llm_uncertainty_bench.models as { name: string; success_rate: number; cost_per_1m_tokens: number }[];

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('demo workspace', () => {
  it('holds the published 16-model table (names, success rates, prices)', () => {
    expect(demoModels.map((m) => [m.name, m.successRate, m.costPer1M])).toEqual(published.map((m) => [m.name, m.success_rate, m.cost_per_1m_tokens]));
  });

  it('is generated in the workspace within 0.01 of every published success rate, with catalog, inventory and the demo mark', async () => {
    const engine = memoryEngine();
    try {
      const r = await engine.call('demo.create', {});
      expect(r).toMatchObject({ queries: 5000, models: 16 });
      const db = engine.services.db();
      const m = loadLabelMatrix(db, r.datasetId);
      expect(m.models).toEqual(published.map((p) => p.name));
      published.forEach((p, j) => {
        let s = 0;
        for (let i = 0; i < 5000; i++) s += m.scores[i * 16 + j];
        expect(Math.abs(s / 5000 - p.success_rate)).toBeLessThan(0.01);
      });
      // realised cost = tokens x the table's price
      expect(m.costs[3 * 16 + 1]).toBeCloseTo(((m.inputTokens[3 * 16 + 1] + m.outputTokens[3 * 16 + 1]) * 2.19) / 1e6, 12);
      expect(new Set(m.tasks)).toEqual(new Set(['QA', 'RC', 'CI', 'DRS', 'DS']));
      expect(listCatalog(db)).toHaveLength(16);
      expect(listCatalog(db).every((c) => c.gpuType && c.gpusPerInstance! >= 1 && c.slotsPerInstance! >= 1 && c.decodeTokensPerS! > 0)).toBe(true);
      // Qwen-72B's first release has no grouped-query attention (2.6 MB of KV per token in BF16):
      // on 4 x 80 GB its KV cache holds far fewer 640-token turns than vLLM's 256-sequence cap.
      const qwen = listCatalog(db).find((c) => c.model === 'Qwen-72B')!;
      expect(qwen).toMatchObject({ gpuType: 'H100-80GB', gpusPerInstance: 4 });
      expect(qwen.slotsPerInstance!).toBeGreaterThan(20);
      expect(qwen.slotsPerInstance!).toBeLessThan(256);
      expect(listCatalog(db).find((c) => c.model === 'Llama-2-70b-hf')!.slotsPerInstance).toBe(256);
      // Every typed figure the demo stores is physically possible on its GPUs.
      const typed = [...listCatalog(db).map((c) => ({ ...c, gpuType: c.gpuType! })), ...listDeployments(db)];
      for (const c of typed) expect(checkTypedProfile({ model: c.model, gpu: c.gpuType, gpusPerInstance: c.gpusPerInstance!, slotsPerInstance: c.slotsPerInstance!, decodeTokensPerS: c.decodeTokensPerS!, prefillTokensPerS: c.prefillTokensPerS }), `${c.model} on ${c.gpuType}`).toEqual([]);
      expect(listDeployments(db)).toHaveLength(16);
      expect(listInventory(db).map((g) => g.gpuType)).toEqual(['A100-80GB', 'H100-80GB', 'L40S']);
      expect((await engine.call('workspace.info', {})).isDemo).toBe(true);
      await expect(engine.call('demo.create', {})).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      engine.close();
    }
  });

  it('is deterministic from its seed and different across seeds', () => {
    const a = generateDemo(11, 500);
    const b = generateDemo(11, 500);
    const c = generateDemo(12, 500);
    expect(a.texts).toEqual(b.texts);
    expect(Array.from(a.scores)).toEqual(Array.from(b.scores));
    expect(Array.from(a.scores)).not.toEqual(Array.from(c.scores));
  });

  it('outcomes correlate like real ones and the text carries signal about difficulty', () => {
    const n = 5000, k = 16;
    const d = generateDemo(7, n);
    // per-query success count across models: the IRT difficulty makes models agree
    const solved = Array.from({ length: n }, (_, i) => d.scores.subarray(i * k, i * k + k).reduce((s, x) => s + x, 0));
    const rates = demoModels.map((m) => m.successRate);
    const expectedVar = rates.reduce((s, p) => s + p * (1 - p), 0); // variance if outcomes were independent
    const mean = solved.reduce((s, x) => s + x, 0) / n;
    const variance = solved.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(variance).toBeGreaterThan(3 * expectedVar);
    // harder-tier words and longer prompts go with fewer models solving the query
    const hardWords = d.texts.map((t) => (/(subtly|distractor|strict technical|most precise|abstract algebra|formal logic|professional law|quantum|ironic|implies|sovereign|sextant)/.test(t) ? 1 : 0));
    expect(pearson(hardWords, solved)).toBeLessThan(-0.3);
    expect(pearson(d.texts.map((t) => t.length), solved)).toBeLessThan(-0.2);
  });

  it('stays within 0.01 for other seeds and sizes', () => {
    for (const [seed, n] of [[1, 2000], [99, 10000]] as const) {
      const d = generateDemo(seed, n);
      demoModels.forEach((m, j) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += d.scores[i * 16 + j];
        expect(Math.abs(s / n - m.successRate)).toBeLessThan(0.01);
      });
    }
  });
});
