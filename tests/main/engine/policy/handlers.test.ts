import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Engine } from '../../../../src/main/engine/engine';
import { parseDeployment } from '../../../../src/main/engine/policy/gateways/deployment';
import { memoryEngine, repoRoot, scratchDir } from '../../../helpers/engine';
import { trainFiles } from '../../../helpers/routerbench';

let engine: Engine;
const scratch = scratchDir();
let policyId = 0;
const deployment = parseDeployment(readFileSync(join(repoRoot, 'tests/fixtures/deployment/routerbench.yaml'), 'utf8'));

beforeAll(async () => {
  engine = memoryEngine();
  const imported = await engine.call('data.import', { file: trainFiles[2], format: 'wide-csv', name: 'winogrande-train' });
  const trained = await engine.call('predictor.train', { datasetId: imported.datasetId!, featurizer: 'builtin', ensemble: 2, seed: 3 });
  const exported = await engine.call('policy.export', {
    name: 'wino',
    predictorId: trained.id,
    datasetId: imported.datasetId!,
    budgetFraction: 0.3,
    capacity: { 'mistralai/mixtral-8x7b-chat': 20 },
    outDir: scratch.dir,
    deployment,
  });
  policyId = exported.id;
  expect(exported.files).toHaveLength(5);
  expect(exported.files.at(-1)).toMatch(/scorer\.onnx$/);
  expect(exported.contentHash).toMatch(/^[0-9a-f]{64}$/);
  expect(exported.metrics.heldOutRepresentative).toBe(1);
  // The online rule's record against the batch plans on the held-out rows is part of the export.
  for (const key of ['onlineObjectiveRatio', 'onlineOverBudgetShare', 'onlineSpendRatio', 'onlineAgreement']) expect(Number.isFinite(exported.metrics[key])).toBe(true);
  expect(exported.metrics.onlineOverBudgetShare).toBeLessThanOrEqual(1);
  // No catalog was imported: the export says which models carry no prices instead of passing 0 off as real.
  expect(exported.warnings).toHaveLength(1);
  expect(exported.warnings[0]).toMatch(/no catalog prices for 11 of 11 models \(.*gpt-4-1106-preview.*the gateway configs carry the deployment mapping's prices/);
  const shares = Object.values(exported.trafficShare);
  expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
});

/** A catalog pricing every model of the workspace; returns how many models it priced. */
async function importCatalogFor(e: Engine, dir: string): Promise<number> {
  const models = (await e.call('datasets.list', {}))[0].models.map((m) => m.model);
  const file = join(dir, 'catalog.csv');
  writeFileSync(file, ['model,price_in_per_m,price_out_per_m', ...models.map((m) => `${m},1,2`)].join('\n'));
  await e.call('data.import', { file, format: 'catalog' });
  return models.length;
}

afterAll(() => {
  engine?.close();
  scratch.cleanup();
});

describe('policy methods', () => {
  it('lists the stored policy and renders every format; YAML configs carry every model', async () => {
    const list = await engine.call('policy.list', {});
    expect(list.map((p) => p.id)).toContain(policyId);
    const formats = await engine.call('policy.formats', {});
    expect(formats.map((f) => f.format)).toEqual(['policy-json', 'litellm', 'vllm-sr', 'envoy']);
    const models = list.find((p) => p.id === policyId)!.models;
    for (const f of formats) {
      const r = await engine.call('policy.render', { id: policyId, format: f.format, deployment });
      expect(existsSync(join(scratch.dir, f.file))).toBe(true);
      expect(readFileSync(join(scratch.dir, f.file), 'utf8')).toBe(r.text);
      if (f.format === 'litellm') for (const m of models) expect(parse(r.text).model_list.some((e: any) => e.model_name === m)).toBe(true);
      if (f.format === 'vllm-sr') expect(parse(r.text).providers.models.map((m: any) => m.name)).toEqual(models);
    }
  });

  it('without a complete deployment mapping writes the policy and its head, and says what the gateway configs lack', async () => {
    const dir = join(scratch.dir, 'unmapped');
    const r = await engine.call('policy.export', { name: 'wino-unmapped', predictorId: 1, datasetId: 1, budgetFraction: 0.3, outDir: dir });
    expect(r.files.map((f) => f.slice(dir.length + 1))).toEqual(['policy.json', 'scorer.onnx']);
    expect(r.warnings.at(-1)).toMatch(/gateway configs not written: .*no provider for .*meta\/llama-2-70b-chat/);
    // With no mapping to price them, the price warning asks for one (the mapped case says the mapping prices them).
    expect(r.warnings[0]).toMatch(/no catalog prices for 11 of 11 models .*take their prices from the deployment mapping/);
    await expect(engine.call('policy.render', { id: r.id, format: 'litellm' })).rejects.toThrow(/no provider for/);
  });

  it('previews decisions on sample queries with per-model probabilities, respecting the capacity in batch mode', async () => {
    const queries = Array.from({ length: 60 }, (_, i) => ({ text: `Option ${i}: the trophy does not fit in the suitcase because it is too big.`, task: 'winogrande' }));
    const online = await engine.call('policy.preview', { id: policyId, queries });
    expect(online).toHaveLength(60);
    for (const d of online) {
      expect(d.probabilities).toHaveLength(11);
      expect(d.probability).toBe(d.probabilities[(await engine.call('policy.list', {}))[0].models.indexOf(d.model)]);
    }
    const batch = await engine.call('policy.preview', { id: policyId, queries, strategy: 'batch', batchSize: 60 });
    expect(batch.filter((d) => d.model === 'mistralai/mixtral-8x7b-chat').length).toBeLessThanOrEqual(20);
  });

  it('exports the decision prior with the requested predictorWeight (default 0.5) and refuses one outside [0, 1]', async () => {
    const body = (id: number) => JSON.parse((engine.services.db().prepare('SELECT body FROM policies WHERE id = ?').get(id) as { body: string }).body);
    const stored = body(policyId);
    expect(stored.decisionPrior.weight).toBe(0.5);
    expect(stored.decisionPrior.byTask.winogrande).toHaveLength(11);
    const { predictorId, datasetId } = stored.provenance.metrics;
    const plain = await engine.call('policy.export', { name: 'wino-p', predictorId, datasetId, budgetFraction: 0.3, predictorWeight: 1 });
    expect(await importCatalogFor(engine, scratch.dir)).toBe(11);
    expect((await engine.call('policy.export', { name: 'wino-priced', predictorId, datasetId })).warnings).toEqual([]);
    expect(body(plain.id).decisionPrior.weight).toBe(1);
    // Prices fitted on p alone differ from prices fitted on the blend.
    expect(plain.lambda).not.toBe(stored.strategy.online.lambda);
    await expect(engine.call('policy.export', { name: 'bad', predictorId, datasetId, predictorWeight: 1.5 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses to preview a stored policy whose body was tampered with', async () => {
    const db = engine.services.db();
    const body = (db.prepare('SELECT body FROM policies WHERE id = ?').get(policyId) as { body: string }).body;
    db.prepare('UPDATE policies SET body = ? WHERE id = ?').run(body.replace('"name": "wino"', '"name": "w1no"'), policyId);
    await expect(engine.call('policy.preview', { id: policyId, queries: [{ text: 'x' }] })).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { reason: 'hash-mismatch' } });
    db.prepare('UPDATE policies SET body = ? WHERE id = ?').run(body, policyId);
  });
});
