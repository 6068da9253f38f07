// The workspace's own GPU specs (routeplan gpus import) reach every capacity path: an inventory
// GPU type the built-in catalog does not know plans on the performance model once its specs are
// imported; a corrected datasheet figure moves that option's goodput and nothing else; a bad file
// names its row and column and leaves the table as it was; the table's migration applies to a
// workspace made before it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { fileEngine, memoryEngine, scratchDir } from '../../../helpers/engine';
import { migrations } from '../../../../src/main/engine/store/migrations';
import { openDatabase } from '../../../../src/main/engine/store/database';
import type { Engine } from '../../../../src/main/engine/engine';
import { demoDemand } from '../../../../src/main/engine/data/demo-demand';

const scratch = scratchDir('routeplan-workspace-gpus-');
afterAll(() => scratch.cleanup());
const file = (name: string, text: string) => {
  const p = join(scratch.dir, name);
  writeFileSync(p, text);
  return p;
};
const header = 'name,memoryGb,hbmGBps,bf16Tflops,fp8Tflops,int8Tops,interconnectGBps,source';
const rtx = 'RTX-6000-Ada,48,960,364.2,728.5,728.5,32,NVIDIA RTX 6000 Ada datasheet (dense figures)';
const workspace = { trafficQps: 20, sampleSize: 200 };

async function demo(): Promise<Engine> {
  const engine = memoryEngine();
  await engine.call('demo.create', { queries: 300 });
  return engine;
}

describe('GPU specs stored in the workspace', () => {
  it('checks typed catalog figures against a GPU the workspace adds (physics on its own datasheet)', async () => {
    const engine = await demo();
    const mistral = (await engine.call('catalog.list', {})).find((c) => c.model === 'Mistral-7B-v0.1')!;
    // 500 tok/s per sequence reads 14.5 GB of weights 500 times a second: 7.2 TB/s, over 960 GB/s.
    const impossible = { ...mistral, gpuType: 'RTX-6000-Ada', gpusPerInstance: 1, slotsPerInstance: 8, decodeTokensPerS: 500, prefillTokensPerS: null };
    await engine.call('catalog.update', { entries: [impossible] }); // an unknown GPU: nothing to check against
    await engine.call('performance.importGpus', { file: file('rtx-physics.csv', `${header}\n${rtx}\n`) });
    await expect(engine.call('catalog.update', { entries: [impossible] })).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { column: 'decode_tokens_per_s' } });
    engine.close();
  });

  it('counts measurements on a GPU the workspace adds as in the catalogs (perf list)', async () => {
    const engine = memoryEngine();
    const csv = file('rtx-measured.csv', 'model,gpu,gpus,precision,engine,input_tokens,output_tokens,concurrency,output_tok_s,ttft_ms,tpot_ms\nMistral-7B-v0.1,RTX-6000-Ada,1,bf16,vllm,1000,200,8,400,80,19\n');
    await engine.call('performance.importMeasurements', { files: [csv] });
    const gpuOf = async () => (await engine.call('performance.listMeasurements', {}))[0].catalog.gpu;
    expect(await gpuOf()).toBeNull();
    await engine.call('performance.importGpus', { file: file('rtx-list.csv', `${header}\n${rtx}\n`) });
    expect(await gpuOf()).toBe('RTX-6000-Ada');
    engine.close();
  });

  it('plans an inventory GPU type the built-in catalog does not know on the performance model once its specs are imported', async () => {
    const engine = await demo();
    await engine.call('inventory.update', { entries: [{ gpuType: 'RTX-6000-Ada', count: 8, hourlyPrice: 1.4, memoryGb: 48 }] });
    const mistral = (await engine.call('catalog.list', {})).find((c) => c.model === 'Mistral-7B-v0.1')!;
    await engine.call('catalog.update', { entries: [{ ...mistral, gpuType: 'RTX-6000-Ada' }] });
    const option = (ctx: Awaited<ReturnType<typeof engine.call<'whatif.prepare'>>>) => ctx.deployments.find((d) => d.model === 'Mistral-7B-v0.1' && d.gpuType === 'RTX-6000-Ada')!;

    const before = await engine.call('whatif.prepare', { workspace });
    expect(option(before).perf?.source).toBe('typed');

    const imported = await engine.call('performance.importGpus', { file: file('rtx.csv', `${header}\n${rtx}\n`) });
    expect(imported.gpus).toEqual([{ name: 'RTX-6000-Ada', replaces: null, replacedWorkspaceEntry: false }]);
    const after = await engine.call('whatif.prepare', { workspace });
    const o = option(after);
    expect(o.perf?.source).toBe('estimated');
    expect(o.perf?.describe?.gpuSpec).toMatchObject({ name: 'RTX-6000-Ada', hbmGBps: 960 });
    // 7B in BF16 leaves 48 GB x 0.9 - 14.5 GB weights - 3 GB runtime for the KV cache.
    expect(o.perf?.usableGb).toBeCloseTo(43.2, 1);
    // What-if on that option: its capacity says where it came from, and its p90s are the model's.
    const w = await engine.call('whatif.evaluate', { contextId: after.contextId, instances: [{ model: 'Mistral-7B-v0.1', gpuType: 'RTX-6000-Ada', count: 2 }] });
    const load = w.models.find((m) => m.model === 'Mistral-7B-v0.1')!;
    expect(load.capacitySource).toBe('estimated');
    expect(load.ttftP90Ms).toBeGreaterThan(0);

    const listed = (await engine.call('performance.gpus', {})).find((g) => g.name === 'RTX-6000-Ada');
    expect(listed).toMatchObject({ origin: 'workspace', replaces: null, importedFrom: { fileName: 'rtx.csv' } });
    engine.close();
  });

  it('plan.create sizes a GPU type known only from the workspace, and its plan file carries the specs to the replay', async () => {
    const engine = await demo();
    // The only GPUs with stock: eight RTX 6000 Ada, which Mistral-7B is catalogued on.
    const stock = await engine.call('inventory.list', {});
    await engine.call('inventory.update', { entries: [...stock.map((g) => ({ gpuType: g.gpuType, count: 0 })), { gpuType: 'RTX-6000-Ada', count: 8, hourlyPrice: 1.4, memoryGb: 48 }] });
    const mistral = (await engine.call('catalog.list', {})).find((c) => c.model === 'Mistral-7B-v0.1')!;
    await engine.call('catalog.update', { entries: [{ ...mistral, gpuType: 'RTX-6000-Ada' }] });
    const { name: _name, ...spec } = demoDemand;
    const { id: demandId } = await engine.call('demand.profile', { ...spec, name: 'one-hour', dailyRequests: 86400, days: 1 / 24, startIso: '2026-01-05T12:00:00Z' });
    const create = () => engine.call('plan.create', { demandId, intervalS: 600, compareCheapest: false, mode: { mode: 'static', percentile: 0.95, nPlusOne: false } });
    await expect(create()).rejects.toMatchObject({ message: expect.stringMatching(/Mistral-7B-v0.1 ha(s|ve) only typed-in profiles/) });

    await engine.call('performance.importGpus', { file: file('rtx-plan.csv', `${header}\n${rtx}\n`) });
    const r = await create();
    const rtxDeployment = r.plan.deployments.find((d) => d.gpuType === 'RTX-6000-Ada')!;
    expect(rtxDeployment.serving?.gpuSpec).toMatchObject({ name: 'RTX-6000-Ada', hbmGBps: 960, memoryGb: 48 });
    expect(r.plan.intervals.some((iv) => iv.instances[r.plan.deployments.indexOf(rtxDeployment)] > 0)).toBe(true);
    // The plan file, as written and read back, replays on those specs.
    const rep = await engine.call('plan.replay', { plan: JSON.parse(JSON.stringify(r.plan)), demandId });
    expect(rep.served).toBeGreaterThan(0);
    engine.close();
  }, 120_000);

  it("overriding a known GPU's memory bandwidth changes that option's goodput in what-if, and no other's", async () => {
    const engine = await demo();
    const base = await engine.call('whatif.prepare', { workspace });
    // Half the H100's datasheet bandwidth, under an inventory alias: it must replace H100-SXM.
    await engine.call('performance.importGpus', { file: file('slow-h100.json', JSON.stringify([{ name: 'H100-80GB', memoryGb: 80, hbmGBps: 1675, bf16Tflops: 989, fp8Tflops: 1979, int8Tops: 1979, interconnectGBps: 450, source: 'memory clocks halved' }])) });
    const slow = await engine.call('whatif.prepare', { workspace });
    const qps = (ctx: typeof base, model: string, gpu: string) => ctx.deployments.find((d) => d.model === model && d.gpuType === gpu)!.qpsPerInstance;
    expect(qps(slow, 'Llama-2-70b-hf', 'H100-80GB')).toBeLessThan(0.8 * qps(base, 'Llama-2-70b-hf', 'H100-80GB'));
    expect(qps(slow, 'Llama-2-70b-hf', 'A100-80GB')).toBe(qps(base, 'Llama-2-70b-hf', 'A100-80GB'));
    expect(qps(slow, 'Mistral-7B-v0.1', 'L40S')).toBe(qps(base, 'Mistral-7B-v0.1', 'L40S'));
    // perf estimate reads the same specs; removing them restores the datasheet.
    // One request alone decodes at the memory bandwidth: its TPOT follows the figure.
    const est = (gpu: string) => engine.call('performance.estimate', { model: 'Llama-2-70b', gpu, gpus: 4, inputTokens: 1000, outputTokens: 200, concurrency: 1 });
    const overridden = await est('H100-SXM');
    expect(overridden.deployment.gpuSource).toBe('memory clocks halved');
    // A --gpu-file lays over the workspace's entry.
    const fileOver = await engine.call('performance.estimate', { model: 'Llama-2-70b', gpu: 'H100-80GB', gpus: 4, inputTokens: 1000, outputTokens: 200, concurrency: 1, gpuFile: file('file-h100.csv', `${header}\nH100,80,3350,989,1979,1979,450,from the file\n`) });
    expect(fileOver.deployment.gpuSource).toBe('from the file');
    expect(await engine.call('performance.removeGpu', { name: 'h100-80gb' })).toEqual({ removed: 'H100-80GB' });
    const restored = await est('H100-SXM');
    expect(restored.deployment.gpuSource).toMatch(/datasheet/);
    expect(restored.tpotMs.p50).toBeLessThan(0.7 * overridden.tpotMs.p50);
    expect(fileOver.tpotMs.p50).toBeCloseTo(restored.tpotMs.p50, 6);
    engine.close();
  });

  it('refuses a bad file naming its row and column and leaves the table unchanged; a re-import replaces a type', async () => {
    const engine = memoryEngine();
    await engine.call('performance.importGpus', { file: file('first.csv', `${header}\n${rtx}\n`) });
    const before = await engine.call('performance.gpus', {});
    // The first row is good: the refusal of the third must leave it unwritten too.
    const bad = file('bad.csv', `${header}\nHouse-GPU,64,1200,400,,,64,ours\nRTX-6000-Ada,48,960,364.2,728.5,728.5,32,x\nH100-80GB,80,-3,989,1979,1979,450,x\n`);
    await expect(engine.call('performance.importGpus', { file: bad })).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { row: 4, column: 'hbmGBps' }, message: expect.stringMatching(/bad\.csv: row 4, column hbmGBps/) });
    const twice = file('twice.csv', `${header}\nHouse-GPU,64,1200,400,,,64,ours\nhouse_gpu,64,1200,400,,,64,ours\n`);
    await expect(engine.call('performance.importGpus', { file: twice })).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { row: 3, column: 'name' } });
    await expect(engine.call('performance.importGpus', { file: file('bad.json', '[{"name":"X","memoryGb":"lots"}]') })).rejects.toMatchObject({ details: { row: 1, column: 'memoryGb' } });
    expect(await engine.call('performance.gpus', {})).toEqual(before);

    await engine.call('performance.importGpus', { file: file('second.csv', `${header}\nrtx-6000-ada,48,1000,364.2,728.5,728.5,32,corrected\n`) });
    const mine = (await engine.call('performance.gpus', {})).filter((g) => g.origin === 'workspace');
    expect(mine).toEqual([expect.objectContaining({ name: 'rtx-6000-ada', hbmGBps: 1000, source: 'corrected' })]);
    engine.close();
  });

  it('the gpu_specs migration applies to a workspace made before it, keeping its data', () => {
    const path = join(scratch.dir, 'old.sqlite');
    const old = new Database(path);
    for (const sql of migrations.slice(0, -1)) old.exec(sql);
    old.pragma(`user_version = ${migrations.length - 1}`);
    old.prepare("INSERT INTO gpu_inventory (gpu_type, count, hourly_price, memory_gb) VALUES ('RTX-6000-Ada', 4, 1.4, 48)").run();
    old.close();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare('SELECT count(*) FROM gpu_inventory').pluck().get()).toBe(1);
    db.close();
    const engine = fileEngine(path);
    return engine
      .call('performance.importGpus', { file: file('rtx2.csv', `${header}\n${rtx}\n`) })
      .then(async () => {
        expect((await engine.call('performance.gpus', {})).find((g) => g.name === 'RTX-6000-Ada')?.origin).toBe('workspace');
      })
      .finally(() => engine.close());
  });
});
