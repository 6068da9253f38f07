// Catalog rows meet the serving-performance model: a model whose architecture the performance
// catalog knows (by its own name, a catalog name or a config.json path in the architecture
// column) needs no typed figures; typed figures that break physics on a known GPU are refused
// with the row and column; a refused file writes nothing; the planner sizes the option from the
// architecture it was given.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { listCatalog, listDeployments, listInventory } from '../../../../src/main/engine/store/catalog';
import { loadLabelMatrix, datasetSummaries } from '../../../../src/main/engine/store/datasets';
import { workspaceForm } from '../../../../src/main/engine/allocation/workspace-form';
import { repoRoot, scratchDir } from '../../../helpers/engine';

const scratch = scratchDir('routeplan-catalog-perf-');
afterAll(() => scratch.cleanup());
const file = (name: string, text: string) => {
  const p = join(scratch.dir, name);
  writeFileSync(p, text);
  return p;
};

async function workspace() {
  const db = openDatabase(':memory:');
  const rows = ['id,question,model,score,input_tokens,output_tokens'];
  for (let i = 0; i < 30; i++) for (const m of ['Qwen-14B', 'Llama-2-70b-hf', 'house-model']) rows.push(`q${i},"question ${i}",${m},${(i + m.length) % 2},300,60`);
  await importFile(db, file('labels.csv', rows.join('\n')), {}, quietContext());
  await importFile(db, file('inventory.csv', 'gpu_type,count,hourly_price,memory_gb\nH100-80GB,16,3.9,80\nL40S,8,1.1,48\n'), {}, quietContext());
  return db;
}

const header = 'model,price_in_per_m,price_out_per_m,gpu_type,gpus_per_instance,slots_per_instance,decode_tokens_per_s,prefill_tokens_per_s,rate_limit_qps,architecture';

describe('catalog rows and the performance model', () => {
  it('refuses a typed profile that reads the weights faster than the GPU can, naming row and column, and writes nothing', async () => {
    const db = await workspace();
    const bad = file('impossible.csv', `${header}\nLlama-2-70b-hf,2,2,H100-80GB,4,,,,,\nQwen-14B,1,1,L40S,1,16,45,,,\n`);
    await expect(importFile(db, bad, {}, quietContext())).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { row: 3, column: 'decode_tokens_per_s' }, message: expect.stringMatching(/physically impossible.*148%/) });
    expect(listCatalog(db)).toEqual([]);
  });

  it('needs no typed figures for an architecture it knows, but does for one it does not', async () => {
    const db = await workspace();
    await importFile(db, file('known.csv', `${header}\nLlama-2-70b-hf,2,2,H100-80GB,4,,,,,\n`), {}, quietContext());
    expect(listCatalog(db)[0]).toMatchObject({ model: 'Llama-2-70b-hf', gpuType: 'H100-80GB', gpusPerInstance: 4, slotsPerInstance: null });
    await expect(importFile(db, file('unknown.csv', `${header}\nhouse-model,1,1,H100-80GB,1,,,,,\n`), {}, quietContext())).rejects.toMatchObject({ details: { row: 2, column: 'slots_per_instance' }, message: expect.stringMatching(/architecture/) });
  });

  it('takes the architecture from a config.json beside the catalog, and refuses an unknown name with near matches', async () => {
    const db = await workspace();
    copyFileSync(join(repoRoot, 'tests/fixtures/performance/llama-2-7b-config.json'), join(scratch.dir, 'house-config.json'));
    await expect(importFile(db, file('typo.csv', `${header}\nhouse-model,1,1,H100-80GB,1,,,,,Lama-2-7b\n`), {}, quietContext())).rejects.toMatchObject({ details: { row: 2, column: 'architecture' }, message: expect.stringMatching(/near matches: .*Llama-2-7b/) });
    await importFile(db, file('config.csv', `${header}\nhouse-model,1,1,H100-80GB,1,,,,,house-config.json\nhouse-model,1,1,L40S,1,,,,,house-config.json\n`), {}, quietContext());
    const entry = listCatalog(db).find((c) => c.model === 'house-model')!;
    expect(entry.architecture).toBe(join(scratch.dir, 'house-config.json'));
    expect(listDeployments(db)).toEqual([expect.objectContaining({ model: 'house-model', gpuType: 'L40S', slotsPerInstance: null })]);
    // The planner sizes both options from that architecture: goodput at the SLO, memory from it.
    const m = loadLabelMatrix(db, datasetSummaries(db).at(-1)!.id);
    const f = workspaceForm(m, listCatalog(db), listDeployments(db), listInventory(db), { trafficQps: 5, maxUtilisation: 0.8, sampleSize: 30, seed: 1, defaultOutputTokens: 64 });
    const options = f.deployments.filter((d) => d.model === 'house-model');
    expect(options.map((d) => d.gpuType).sort()).toEqual(['H100-80GB', 'L40S']);
    for (const d of options) {
      expect(d.perf?.source).toBe('estimated');
      expect(d.perf?.describe?.architecture).toBe(join(scratch.dir, 'house-config.json'));
      expect(d.qpsPerInstance!).toBeGreaterThan(0);
      // 7B in BF16: ~13.5 GB of weights on one GPU.
      expect(d.perf!.weightsGb!).toBeGreaterThan(12);
      expect(d.perf!.weightsGb!).toBeLessThan(15);
    }
    // An H100 serves this workload faster than an L40S.
    expect(options.find((d) => d.gpuType === 'H100-80GB')!.qpsPerInstance!).toBeGreaterThan(options.find((d) => d.gpuType === 'L40S')!.qpsPerInstance!);
  });
});
