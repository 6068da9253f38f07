import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelCatalog } from '../../../../src/main/engine/performance/catalog/model-catalog';
import { gpuCatalog } from '../../../../src/main/engine/performance/catalog/gpu-catalog';
import { archParams } from '../../../../src/main/engine/performance/catalog/params';
import { gpuSpec, loadGpuFile, modelArch, gpuCatalogWith } from '../../../../src/main/engine/performance/catalog/lookup';
import { loadHfConfig } from '../../../../src/main/engine/performance/catalog/hf-config';
import { demoModels } from '../../../../src/main/engine/data/demo-models';
import { EngineError } from '../../../../src/shared/errors';
import { repoRoot, scratchDir } from '../../../helpers/engine';

const fixture = (name: string) => join(repoRoot, 'tests/fixtures/performance', name);

function thrown(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (err) {
    return err as EngineError;
  }
  throw new Error('expected an error');
}

describe('model catalog', () => {
  it('holds every demo model, each citing its config.json', () => {
    for (const m of demoModels) expect(modelArch(m.name).source).toMatch(/^huggingface\.co\/.+\/config\.json$/);
  });

  it('states parameter counts the architecture implies (within 3%)', () => {
    for (const m of modelCatalog) {
      const p = archParams(m);
      expect(Math.abs(p.totalB / m.paramsB - 1), m.name).toBeLessThan(0.03);
      expect(Math.abs(p.activeB / m.activeParamsB - 1), m.name).toBeLessThan(0.03);
    }
  });

  it('keeps first-release Qwen without grouped-query attention', () => {
    expect(modelArch('Qwen-72B').kvHeads).toBe(64);
    expect(modelArch('Qwen2.5-72B').kvHeads).toBe(8);
  });

  it('refuses an unknown model listing near matches', () => {
    const e = thrown(() => modelArch('Lama-2-70'));
    expect(e.code).toBe('NOT_FOUND');
    expect((e.details as { nearMatches: string[] }).nearMatches).toContain('Llama-2-70b');
  });
});

describe('config.json loader', () => {
  it('reads a Llama config into the same architecture as the catalog entry', () => {
    const a = loadHfConfig(fixture('llama-2-7b-config.json'));
    const c = modelArch('Llama-2-7b');
    for (const k of ['layers', 'hiddenSize', 'heads', 'kvHeads', 'headDim', 'intermediateSize', 'vocabSize'] as const) expect(a[k], k).toBe(c[k]);
    expect(Math.abs(a.paramsB / c.paramsB - 1)).toBeLessThan(0.01);
    expect(modelArch(fixture('llama-2-7b-config.json')).layers).toBe(32);
  });

  it('halves first-release Qwen intermediate_size and counts Falcon-7B as multi-query', () => {
    expect(loadHfConfig(fixture('qwen-first-release-config.json')).intermediateSize).toBe(24576);
    const f = loadHfConfig(fixture('falcon-7b-config.json'));
    expect(f.kvHeads).toBe(1);
    expect(f.intermediateSize).toBe(4 * 4544);
  });

  it('reads MoE experts (Mixtral) and MPT\'s own names into the catalog\'s architecture', () => {
    const x = loadHfConfig(fixture('mixtral-8x7b-config.json'));
    expect(x).toMatchObject({ experts: 8, expertsPerToken: 2, kvHeads: 8 });
    expect(x.paramsB).toBeCloseTo(modelArch('Mixtral-8x7B').paramsB, 0);
    expect(x.activeParamsB).toBeCloseTo(modelArch('Mixtral-8x7B').activeParamsB, 0);
    const mpt = loadHfConfig(fixture('mpt-7b-config.json'));
    const cat = modelArch('mpt-7b');
    for (const k of ['layers', 'hiddenSize', 'heads', 'kvHeads', 'intermediateSize', 'vocabSize', 'maxContext'] as const) expect(mpt[k], k).toBe(cat[k]);
  });

  it('names the missing field', () => {
    const e = thrown(() => loadHfConfig(fixture('no-layers-config.json')));
    expect(e.code).toBe('FILE_FORMAT');
    expect(e.message).toContain('num_hidden_layers');
    expect(e.details?.field).toBe('num_hidden_layers');
  });
});

describe('GPU catalog', () => {
  it('accepts the names inventories use and has no FP8 on A100', () => {
    expect(gpuSpec('H100-80GB').name).toBe('H100-SXM');
    expect(gpuSpec('A100-80GB').fp8Tflops).toBeNull();
    expect(gpuSpec('L40S').memoryGb).toBe(48);
    for (const g of gpuCatalog) expect(g.source.length, g.name).toBeGreaterThan(20);
  });

  it('refuses an unknown GPU listing near matches', () => {
    const e = thrown(() => gpuSpec('H10-80GB'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/H100/);
  });

  it('lays a user GPU file over the catalog and names a bad cell', () => {
    const s = scratchDir('routeplan-gpus-');
    try {
      const good = join(s.dir, 'gpus.csv');
      writeFileSync(good, 'name,memoryGb,hbmGBps,bf16Tflops,fp8Tflops,int8Tops,interconnectGBps,source\nL40S,48,900,362,733,733,32,my lab\nX1,96,4000,800,,1600,400,"vendor sheet, rev 2"\n');
      const cat = gpuCatalogWith(loadGpuFile(good));
      expect(gpuSpec('L40S', cat).hbmGBps).toBe(900);
      expect(gpuSpec('X1', cat).fp8Tflops).toBeNull();
      // A quoted source keeps its commas (a CSV parser, not a split on commas).
      expect(gpuSpec('X1', cat).source).toBe('vendor sheet, rev 2');
      const hex = join(s.dir, 'hex.csv');
      writeFileSync(hex, 'name,memoryGb,hbmGBps,bf16Tflops,fp8Tflops,int8Tops,interconnectGBps,source\nX3,0x60,4000,800,,,400,v\n');
      expect(thrown(() => loadGpuFile(hex)).details).toMatchObject({ row: 2, column: 'memoryGb' });
      const bad = join(s.dir, 'bad.csv');
      writeFileSync(bad, 'name,memoryGb,hbmGBps,bf16Tflops,fp8Tflops,int8Tops,interconnectGBps,source\nX2,96,fast,800,,,400,v\n');
      const e = thrown(() => loadGpuFile(bad));
      expect(e.details).toMatchObject({ row: 2, column: 'hbmGBps' });
    } finally {
      s.cleanup();
    }
  });
});

describe('fine-grained MoE configs', () => {
  // Qwen/Qwen3-30B-A3B and deepseek-ai/DeepSeek-V2-Lite config.json (the fields the model reads):
  // narrow routed experts (moe_intermediate_size), shared experts, dense first layers.
  const scratch = scratchDir('routeplan-moe-');
  const write = (name: string, cfg: object) => {
    const f = join(scratch.dir, `${name}.json`);
    writeFileSync(f, JSON.stringify(cfg));
    return f;
  };
  it('counts routed experts at their own width, shared experts and dense layers (published totals within 4%)', () => {
    const qwen3 = loadHfConfig(write('qwen3', { model_type: 'qwen3_moe', hidden_size: 2048, num_hidden_layers: 48, num_attention_heads: 32, num_key_value_heads: 4, head_dim: 128, intermediate_size: 6144, moe_intermediate_size: 768, num_experts: 128, num_experts_per_tok: 8, vocab_size: 151936, tie_word_embeddings: false }));
    expect(qwen3.paramsB).toBeGreaterThan(30.5 * 0.96);
    expect(qwen3.paramsB).toBeLessThan(30.5 * 1.04);
    expect(qwen3.activeParamsB).toBeGreaterThan(3.3 * 0.9);
    expect(qwen3.activeParamsB).toBeLessThan(3.3 * 1.1);
    const v2lite = loadHfConfig(write('dsv2lite', { model_type: 'deepseek_v2', hidden_size: 2048, num_hidden_layers: 27, num_attention_heads: 16, num_key_value_heads: 16, intermediate_size: 10944, moe_intermediate_size: 1408, n_routed_experts: 64, n_shared_experts: 2, num_experts_per_tok: 6, first_k_dense_replace: 1, vocab_size: 102400 }));
    expect(v2lite.paramsB).toBeGreaterThan(15.7 * 0.96);
    expect(v2lite.paramsB).toBeLessThan(15.7 * 1.04);
    expect(v2lite.activeParamsB).toBeGreaterThan(2.4 * 0.85);
    expect(v2lite.activeParamsB).toBeLessThan(2.4 * 1.15);
    scratch.cleanup();
  });
});
