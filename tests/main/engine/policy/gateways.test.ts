import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { Policy } from '../../../../src/main/engine/policy/format';
import { policyFromTraining } from '../../../../src/main/engine/policy/from-training';
import { gatewayFormats, type GatewayFormat } from '../../../../src/main/engine/policy/gateways';
import { checkGatewayConfig } from '../../../../src/main/engine/policy/gateways/check';
import { percentWeights } from '../../../../src/main/engine/policy/gateways/common';
import { parseDeployment, resolveDeployment } from '../../../../src/main/engine/policy/gateways/deployment';
import { MAX_RULES } from '../../../../src/main/engine/policy/gateways/envoy';
import { upstreamUrl, type ClientPath } from '../../../../src/main/engine/policy/gateways/upstream-urls';
import { staticSplit } from '../../../../src/main/engine/policy/gateways/static-split';
import { splitOutcome } from '../../../../src/main/engine/policy/labelled-outcome';
import { cleanPrompt } from '../../../../src/main/engine/policy/dataset-facts';
import { generateDemo } from '../../../../src/main/engine/data/demo';
import { demoCatalog, demoModels } from '../../../../src/main/engine/data/demo-models';
import type { LabelMatrix } from '../../../../src/main/engine/data/matrix';
import { repoRoot } from '../../../helpers/engine';
import { samplePolicy, syntheticPolicy } from './sample-policy';
import { trainRouterbenchPlanner } from './trained';
import { fitDefaultPredictor } from '../../../../src/main/engine/predictor/api';
import { bundledSignalEncoder, sharesAtCommonThreshold } from '../../../../src/main/engine/policy/signal-thresholds';
import { policyText, readPolicy } from '../../../../src/main/engine/policy/verify';

const golden = (f: string) => join(repoRoot, 'tests/fixtures/golden', f);
const formats = Object.keys(gatewayFormats) as GatewayFormat[];
const routerbenchMapping = parseDeployment(readFileSync(join(repoRoot, 'tests/fixtures/deployment/routerbench.yaml'), 'utf8'));
const sample = samplePolicy();
const render = (p: Policy, f: GatewayFormat, mapping = resolveDeployment(p)) => gatewayFormats[f].render(p, mapping);
const envoyDocs = (text: string) => parseAllDocuments(text).map((d) => d.toJSON());

/** The demo workspace's data (generateDemo) as a label matrix. */
function demoMatrix(n: number, seed = 1): LabelMatrix {
  const g = generateDemo(seed, n);
  const k = demoModels.length;
  return {
    datasetId: null,
    models: demoModels.map((m) => m.name),
    queryIds: g.texts.map((_, i) => `q${i}`),
    texts: g.texts,
    tasks: g.tasks,
    scores: Float32Array.from(g.scores),
    costs: g.costs,
    inputTokens: Float64Array.from({ length: n * k }, (_, t) => g.inputTokens[Math.floor(t / k)]),
    outputTokens: Float64Array.from(g.outputTokens),
  };
}

let routerbench: Policy;
let rbTrain: LabelMatrix;
let rbTest: LabelMatrix;
let demo: Policy;
beforeAll(async () => {
  const planner = await trainRouterbenchPlanner(3);
  rbTrain = planner.train;
  rbTest = planner.test;
  // With the bundled encoder: the task-signal thresholds chosen on held-out training prompts.
  routerbench = await policyFromTraining({ name: 'routerbench', dataset: 'routerbench-train', seed: 3, createdAt: '2026-12-07T00:00:00.000Z', train: planner.train, predictor: planner.predictor, catalog: new Map(), budgetFraction: 0.3, batchSize: 100, strategy: 'online', signalEncoder: bundledSignalEncoder() });
  // The demo workspace's 16 models, each on a GPU type as its catalog says: all self-hosted.
  const train = demoMatrix(1500);
  const predictor = await fitDefaultPredictor(train, { seed: 1, ensemble: 1 });
  const catalog = new Map(demoCatalog().rows.map((c) => [c.model, { priceInPerM: c.price_in_per_m, priceOutPerM: c.price_out_per_m, gpuType: c.gpu_type, capacityPerBatch: null, priceSource: 'catalog' as const }]));
  demo = await policyFromTraining({ name: 'demo', dataset: 'demo', seed: 1, createdAt: '2026-12-07T00:00:00.000Z', train, predictor, catalog, budgetFraction: 0.3, batchSize: 100, strategy: 'online' });
});

describe('gateway configs load in their targets (vendored schemas + ported loader rules)', () => {
  it.each(formats)('%s matches its golden file (UPDATE_GOLDEN=1 rewrites)', (fmt) => {
    const text = render(sample, fmt);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden(gatewayFormats[fmt].file), text);
    expect(text).toBe(readFileSync(golden(gatewayFormats[fmt].file), 'utf8'));
  });

  it('every export validates: the sample, RouterBench with its mapping, the 16-model demo, a 40-model policy', () => {
    const cases: [string, Policy, ReturnType<typeof resolveDeployment>][] = [
      ['sample', sample, resolveDeployment(sample)],
      ['routerbench', routerbench, resolveDeployment(routerbench, routerbenchMapping)],
      ['demo', demo, resolveDeployment(demo)],
      ['synthetic-40', syntheticPolicy(40), resolveDeployment(syntheticPolicy(40))],
    ];
    expect(demo.models).toHaveLength(16);
    for (const [name, p, d] of cases) for (const f of formats) expect(checkGatewayConfig(f, render(p, f, d)), `${name} ${f}`).toEqual([]);
  });

  it('the configs exported before this format are refused by the same checks, naming what their loaders refuse', () => {
    const refused = (f: string) => readFileSync(join(repoRoot, 'tests/fixtures/gateways-refused', f), 'utf8');
    expect(checkGatewayConfig('envoy', refused('envoy-ai-gateway.yaml')).join('\n')).toMatch(/aigateway.envoyproxy.io\/v1alpha1\/AIServiceBackend is not a served, non-deprecated version/);
    expect(checkGatewayConfig('litellm', refused('litellm-config.yaml')).join('\n')).toMatch(/litellm_params.model: must match pattern/);
    const sr = checkGatewayConfig('vllm-sr', refused('vllm-semantic-router-config.yaml')).join('\n');
    expect(sr).toMatch(/providers.defaults: must NOT have additional properties "model"/);
  });

  it('Envoy: v1beta1, routes split under the 15-rule limit, every reference resolves, Claude on the OpenAI-compatible schema, names overridden', () => {
    const docs = envoyDocs(render(syntheticPolicy(40), 'envoy'));
    const routes = docs.filter((d) => d.kind === 'AIGatewayRoute');
    expect(routes.length).toBe(Math.ceil(41 / MAX_RULES));
    for (const r of routes) {
      expect(r.apiVersion).toBe('aigateway.envoyproxy.io/v1beta1');
      expect(r.spec.rules.length).toBeLessThanOrEqual(MAX_RULES);
    }
    const values = routes.flatMap((r) => r.spec.rules.map((x: any) => x.matches[0].headers[0].value));
    expect(values.sort()).toEqual([...syntheticPolicy(40).models.map((m) => m.id), 'routeplan-auto'].sort());
    const auto = routes.flatMap((r) => r.spec.rules).find((x: any) => x.name === 'routeplan-auto');
    expect(auto.backendRefs.reduce((s: number, b: any) => s + b.weight, 0)).toBe(100);
    const schema = (id: string) => docs.find((d) => d.kind === 'AIServiceBackend' && d.metadata.annotations['routeplan/model'] === id).spec.schema.name;
    expect(schema('claude-synth-10')).toBe('OpenAI');
    expect(schema('gpt-synth-0')).toBe('OpenAI');
    // 10 OpenAI backends share one key Secret: one policy (16 targets at most per policy).
    for (const p of docs.filter((d) => d.kind === 'BackendSecurityPolicy')) expect(p.spec.targetRefs.length).toBeLessThanOrEqual(16);
    expect(docs.filter((d) => d.kind === 'Gateway')).toHaveLength(1);

    const rb = envoyDocs(render(routerbench, 'envoy', resolveDeployment(routerbench, routerbenchMapping)));
    const claude = rb.flatMap((d) => (d.kind === 'AIGatewayRoute' ? d.spec.rules : [])).find((r: any) => r.matches[0].headers[0].value === 'claude-v2');
    expect(claude.backendRefs[0].modelNameOverride).toBe('claude-2.1');
    expect(rb.find((d) => d.kind === 'BackendSecurityPolicy' && d.spec.apiKey?.secretRef.name === 'anthropic-api-key').spec.type).toBe('APIKey');
    // In-cluster vLLM over http: no TLS policy, no key.
    expect(rb.filter((d) => d.kind === 'BackendTLSPolicy').map((d) => d.metadata.name)).not.toContain('routeplan-wizardlm-wizardlm-13b-v1-2-tls');
  });

  it('Envoy checks fail on what the API server or controller would refuse', () => {
    const docs = envoyDocs(render(sample, 'envoy'));
    const route = docs.find((d) => d.kind === 'AIGatewayRoute');
    const tooMany = { ...route, spec: { ...route.spec, rules: Array.from({ length: 16 }, (_, i) => ({ ...route.spec.rules[0], name: `r${i}` })) } };
    const broken = [
      [tooMany, /rules: must NOT have more than 15 items/],
      [{ ...route, spec: { ...route.spec, rules: [route.spec.rules[0], route.spec.rules[0]] } }, /rule names must be unique/],
      [{ ...route, spec: { ...route.spec, rules: [{ ...route.spec.rules[0], backendRefs: [{ name: 'nowhere' }] }] } }, /AIServiceBackend nowhere is not in the file/],
      [{ ...route, spec: { ...route.spec, rules: [{ ...route.spec.rules[0], timeout: '30s' }] } }, /must NOT have additional properties "timeout"/],
    ] as const;
    for (const [doc, message] of broken) {
      const text = docs.map((d) => stringify(d === route ? doc : d)).join('---\n');
      expect(checkGatewayConfig('envoy', text).join('\n')).toMatch(message);
    }
    const bsp = docs.find((d) => d.kind === 'BackendSecurityPolicy');
    const both = docs.map((d) => stringify(d === bsp ? { ...bsp, spec: { ...bsp.spec, anthropicAPIKey: bsp.spec.apiKey } } : d)).join('---\n');
    expect(checkGatewayConfig('envoy', both).join('\n')).toMatch(/type APIKey needs exactly spec.apiKey/);
    const gw = docs.find((d) => d.kind === 'Gateway');
    expect(docs.some((d) => d.kind === 'GatewayClass')).toBe(true);
    const orphan = docs.map((d) => stringify(d === gw ? { ...gw, spec: { ...gw.spec, gatewayClassName: 'elsewhere' } } : d)).join('---\n');
    expect(checkGatewayConfig('envoy', orphan).join('\n')).toMatch(/GatewayClass elsewhere is not in the file/);
  });

  it('LiteLLM: provider-prefixed models, api_base where not the provider default, env key references, per-token prices', () => {
    const cfg = parse(render(routerbench, 'litellm', resolveDeployment(routerbench, routerbenchMapping)));
    const entry = (id: string) => cfg.model_list.find((e: any) => e.model_name === id).litellm_params;
    expect(entry('meta/llama-2-70b-chat')).toMatchObject({ model: 'openai/meta-llama/Llama-2-70b-chat-hf', api_base: 'https://api.together.xyz/v1', api_key: 'os.environ/TOGETHER_API_KEY', input_cost_per_token: 9e-7 });
    expect(entry('WizardLM/WizardLM-13B-V1.2')).toMatchObject({ model: 'hosted_vllm/WizardLMTeam/WizardLM-13B-V1.2', api_base: 'http://wizardlm-13b.models.svc.cluster.local:8000/v1' });
    expect(entry('WizardLM/WizardLM-13B-V1.2').api_key).toBeUndefined();
    expect(entry('claude-v2')).toMatchObject({ model: 'anthropic/claude-2.1', api_key: 'os.environ/ANTHROPIC_API_KEY', output_cost_per_token: 2.4e-5 });
    expect(entry('gpt-4-1106-preview').api_base).toBeUndefined();
    const auto = cfg.model_list.filter((e: any) => e.model_name === 'routeplan-auto');
    expect(auto.reduce((s: number, e: any) => s + e.litellm_params.weight, 0)).toBeCloseTo(1, 5);
    for (const e of cfg.model_list) expect(e.litellm_params.input_cost_per_token + e.litellm_params.output_cost_per_token).toBeGreaterThan(0);
  });

  it('vLLM SR: a model card per model, default_model, an embedding signal per task with training prompts that its decision fires on', () => {
    const cfg = parse(render(routerbench, 'vllm-sr', resolveDeployment(routerbench, routerbenchMapping)));
    expect(cfg.routing.modelCards.map((c: any) => c.name).sort()).toEqual(routerbench.models.map((m) => m.id).sort());
    expect(routerbench.models.map((m) => m.id)).toContain(cfg.providers.defaults.default_model);
    const signals = cfg.routing.signals.embeddings;
    expect(signals.map((s: any) => s.name)).toEqual(['routeplan-task-arc-challenge', 'routeplan-task-mbpp', 'routeplan-task-winogrande']);
    // Real prompts of the task: no list wrapper, real newlines, 8 distinct after the cut, each the end of a training prompt of its task.
    for (const [j, task] of ['arc-challenge', 'mbpp', 'winogrande'].entries()) {
      const own = rbTrain.texts.filter((_, i) => rbTrain.tasks[i] === task).map(cleanPrompt);
      const cands: string[] = signals[j].candidates;
      expect(new Set(cands).size, task).toBe(8);
      for (const c of cands) {
        expect(c.startsWith("['") || c.includes('\\n'), c).toBe(false);
        expect(c.length).toBeLessThanOrEqual(400);
        expect(own.some((t) => t.endsWith(c)), c).toBe(true);
      }
      expect(signals[j].candidates.some((c: string) => c.includes('\n')) || task === 'mbpp').toBe(true);
    }
    expect(cleanPrompt("['a\\nb\\'s', \"c\"]")).toBe("a\nb's\nc");
    expect(cleanPrompt('plain [text]')).toBe('plain [text]');
    // Overlapping tasks resolve by similarity: every task decision has the same priority, above the default's.
    const priorities = new Set(cfg.routing.decisions.slice(0, 3).map((d: any) => d.priority));
    expect(priorities.size).toBe(1);
    expect([...priorities][0]).toBeGreaterThan(cfg.routing.decisions.at(-1).priority);
    for (const d of cfg.routing.decisions.slice(0, 3)) expect(d.rules.conditions[0]).toMatchObject({ type: 'embedding' });
    expect(cfg.routing.decisions.at(-1)).toMatchObject({ name: 'routeplan-default', modelRefs: [{ model: cfg.providers.defaults.default_model }] });
    expect(checkGatewayConfig('vllm-sr', stringify({ ...cfg, routing: { ...cfg.routing, modelCards: cfg.routing.modelCards.slice(1) } })).join('\n')).toMatch(/missing from routing.modelCards/);
    const unknownSignal = { ...cfg, routing: { ...cfg.routing, decisions: [{ ...cfg.routing.decisions[0], rules: { operator: 'OR', conditions: [{ type: 'embedding', name: 'nope' }] } }] } };
    expect(checkGatewayConfig('vllm-sr', stringify(unknownSignal)).join('\n')).toMatch(/unknown embedding signal "nope"/);
  });

  it('vLLM SR: each task signal has the threshold the policy chose on held-out prompts, and the header gives every task its shares and names the encoder', () => {
    const signals = routerbench.provenance.taskSignals!;
    expect(readPolicy(policyText(routerbench)).provenance.taskSignals).toEqual(signals);
    const text = render(routerbench, 'vllm-sr', resolveDeployment(routerbench, routerbenchMapping));
    expect(checkGatewayConfig('vllm-sr', text)).toEqual([]);
    const cfg = parse(text);
    const tasks = ['arc-challenge', 'mbpp', 'winogrande'];
    expect(cfg.routing.signals.embeddings.map((e: any) => e.threshold)).toEqual(tasks.map((t) => signals.tasks[t].threshold));
    expect(new Set(tasks.map((t) => signals.tasks[t].threshold)).size).toBeGreaterThan(1);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    for (const t of tasks) {
      const m = signals.tasks[t];
      expect(m.heldOut).toBeGreaterThan(0);
      expect(text).toContain(`#   ${t}: threshold ${m.threshold} (chosen on ${m.tuning}), ${m.heldOut} held-out: own only ${pct(m.ownOnly)}, own wins ${pct(m.ownWins)}, none ${pct(m.none)}\n`);
    }
    expect(text).toMatch(/^# Task signal thresholds: per task, chosen on held-out training prompts \(never candidates, seed 3\).*Similarities measured with routeplan's bundled sentence encoder @energetic-ai\/model-embeddings-en@[^ ]+ \(Universal Sentence Encoder lite, 512-d\), not the router's embedding model/m);
    // The mapping's threshold overrides every task's, and the shares are those at it.
    const fixed = render(routerbench, 'vllm-sr', resolveDeployment(routerbench, { ...routerbenchMapping, signals: { embeddingThreshold: 0.6 } }));
    expect(parse(fixed).routing.signals.embeddings.map((e: any) => e.threshold)).toEqual([0.6, 0.6, 0.6]);
    expect(fixed).toMatch(/^# Task signal thresholds: 0.6 for every task \(signals.embeddingThreshold of the deployment mapping/m);
    for (const t of tasks) {
      const at = sharesAtCommonThreshold(signals.tasks[t], 0.6);
      expect(fixed).toContain(`#   ${t}: threshold 0.6 (policy's choice ${signals.tasks[t].threshold}), ${at.heldOut} held-out: own only ${pct(at.ownOnly)}, own wins ${pct(at.ownWins)}, none ${pct(at.none)}\n`);
    }
    // A policy without a measurement says so, at the default.
    const bare = render(sample, 'vllm-sr');
    expect(parse(bare).routing.signals.embeddings.map((e: any) => e.threshold)).toEqual([0.6, 0.6]);
    expect(bare).toMatch(/^# Task signal thresholds: 0.6 for every task \(the default\); no held-out shares/m);
  });

  // PyYAML is what vLLM SR's CLI and LiteLLM's proxy read config.yaml with (yaml.safe_load).
  const python = '/usr/bin/python3';
  const hasPyYaml = existsSync(python) && spawnSync(python, ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasPyYaml && !process.env.CI)('PyYAML (the loaders\' own YAML reader) reads every file to the object we meant', () => {
    for (const f of formats) {
      const text = render(routerbench, f, resolveDeployment(routerbench, routerbenchMapping));
      const r = spawnSync(python, ['-c', 'import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))'], { input: text, encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(parseAllDocuments(text).map((d) => d.toJSON()));
    }
  });

  it('percent weights always sum to 100 and follow the shares', () => {
    for (const shares of [[1 / 3, 1 / 3, 1 / 3], [0.005, 0.995], [0, 0, 1], [0.2, 0.2, 0.2, 0.2, 0.2], [0, 0]]) {
      const w = percentWeights(shares);
      expect(w.reduce((a, b) => a + b, 0)).toBe(100);
      w.forEach((x, j) => expect(Math.abs(x - (100 * shares[j]) / (shares.reduce((a, b) => a + b, 0) || 1))).toBeLessThanOrEqual(shares.every((s) => s === 0) ? 100 : 1));
    }
  });
});

describe('upstream URLs: what each gateway builds from the export (ported path rules)', () => {
  const withMapping = (extra: Record<string, unknown>) => parseDeployment(stringify({ ...parse(readFileSync(join(repoRoot, 'tests/fixtures/deployment/routerbench.yaml'), 'utf8')), ...extra }));
  const url = (f: GatewayFormat, model: string, path: ClientPath = '/v1/chat/completions', mapping = routerbenchMapping) => upstreamUrl(f, render(routerbench, f, resolveDeployment(routerbench, mapping)), model, path);
  const providers: Record<string, string> = {
    'gpt-4-1106-preview': 'https://api.openai.com/v1/chat/completions',
    'meta/llama-2-70b-chat': 'https://api.together.xyz/v1/chat/completions',
    'mistralai/mistral-7b-chat': 'http://mistral-7b.models.svc.cluster.local:8000/v1/chat/completions',
  };

  it('OpenAI, a hosted OpenAI-API service and an in-cluster vLLM: the same endpoint from every gateway', () => {
    for (const f of formats) for (const [model, want] of Object.entries(providers)) expect(url(f, model), `${f} ${model}`).toEqual({ url: want });
  });

  it("Claude: vLLM SR and LiteLLM reach Anthropic's Messages endpoint (not /v1/v1/messages), even from an endpoint given as .../v1", () => {
    for (const f of ['vllm-sr', 'litellm'] as const) {
      expect(url(f, 'claude-v2')).toEqual({ url: 'https://api.anthropic.com/v1/messages' });
      const v1 = withMapping({ models: { ...routerbenchMapping.models, 'claude-v2': { ...routerbenchMapping.models['claude-v2'], endpoint: 'https://api.anthropic.com/v1' } } });
      expect(url(f, 'claude-v2', '/v1/chat/completions', v1)).toEqual({ url: 'https://api.anthropic.com/v1/messages' });
    }
    // The rule the old export broke: a base_url with /v1 plus the anthropic suffix.
    const old = render(routerbench, 'vllm-sr', resolveDeployment(routerbench, routerbenchMapping)).replaceAll('base_url: https://api.anthropic.com\n', 'base_url: https://api.anthropic.com/v1\n');
    expect(upstreamUrl('vllm-sr', old, 'claude-v2', '/v1/chat/completions')).toEqual({ url: 'https://api.anthropic.com/v1/v1/messages' });
  });

  it("Envoy: Claude on the OpenAI schema (Anthropic's OpenAI-compatible endpoint) by default; the Anthropic schema serves /v1/messages only", () => {
    expect(url('envoy', 'claude-v2')).toEqual({ url: 'https://api.anthropic.com/v1/chat/completions' });
    expect(url('envoy', 'claude-v2', '/v1/messages')).toEqual({ url: 'https://api.anthropic.com/v1/chat/completions' });
    const messages = withMapping({ envoy: { anthropicSchema: 'Anthropic' } });
    expect(url('envoy', 'claude-v2', '/v1/messages', messages)).toEqual({ url: 'https://api.anthropic.com/v1/messages' });
    expect(url('envoy', 'claude-v2', '/v1/chat/completions', messages)).toEqual({ error: expect.stringMatching(/unsupported API schema: backend=Anthropic/) });
    const docs = envoyDocs(render(routerbench, 'envoy', resolveDeployment(routerbench, messages)));
    expect(docs.find((d) => d.kind === 'BackendSecurityPolicy' && d.spec.type === 'AnthropicAPIKey').spec.anthropicAPIKey.secretRef.name).toBe('anthropic-api-key');
    expect(checkGatewayConfig('envoy', render(routerbench, 'envoy', resolveDeployment(routerbench, messages)))).toEqual([]);
  });

  it('a vLLM endpoint off /v1 keeps its path in vLLM SR (base_url) and Envoy (prefix); one at a host root keeps the root', () => {
    const m = withMapping({ models: { ...routerbenchMapping.models, 'mistralai/mistral-7b-chat': { ...routerbenchMapping.models['mistralai/mistral-7b-chat'], endpoint: 'http://gw.models:9000/serve/v1' }, 'WizardLM/WizardLM-13B-V1.2': { ...routerbenchMapping.models['WizardLM/WizardLM-13B-V1.2'], endpoint: 'http://wiz.models:8000' } } });
    for (const f of formats) {
      expect(url(f, 'mistralai/mistral-7b-chat', '/v1/chat/completions', m), f).toEqual({ url: 'http://gw.models:9000/serve/v1/chat/completions' });
      expect(url(f, 'WizardLM/WizardLM-13B-V1.2', '/v1/chat/completions', m), f).toEqual({ url: 'http://wiz.models:8000/chat/completions' });
    }
  });

  it("the walk-throughs' requests are ones these checks route: every curl of docs/policies.md names a model and a path that reach a provider", () => {
    const doc = readFileSync(join(repoRoot, 'docs/policies.md'), 'utf8');
    const curls = [...doc.matchAll(/^# checked: (envoy|litellm|vllm-sr)\n(?:[^\n]*\n)*?curl [^\n]*?(\/v1\/(?:chat\/completions|messages))[^\n]*\n[^\n]*"model":"([^"]+)"/gm)];
    expect(curls.length).toBeGreaterThanOrEqual(4);
    for (const [, f, path, model] of curls) {
      const d = f === 'envoy' && path === '/v1/messages' ? withMapping({ envoy: { anthropicSchema: 'Anthropic' } }) : routerbenchMapping;
      if (model === 'routeplan-auto' || model === 'auto') continue;
      const r = url(f as GatewayFormat, model, path as ClientPath, d);
      expect(r, `${f} ${path} ${model}`).toHaveProperty('url');
    }
  });
});

describe('routeplan-auto: serve-router first, a static split within budget as the fallback', () => {
  it('the static split\'s weights keep its expected cost within the budget (by construction, and realised on RouterBench test and new demo data), where the plan\'s shares do not', () => {
    const cases: [Policy, LabelMatrix][] = [
      [routerbench, rbTest],
      [demo, demoMatrix(1500, 2)],
    ];
    for (const [p, data] of cases) {
      const s = staticSplit(p);
      const ref = (p.strategy.batch.budget as { model: string }).model;
      expect(s.withinBudget).toBe(true);
      expect(s.expectedCostPerQuery).toBeLessThanOrEqual(s.budgetPerQuery);
      expect(s.percent.reduce((a, b) => a + b, 0)).toBe(100);
      const c = (p.costModel as { default: number[] }).default;
      expect(s.percent.reduce((a, w, j) => a + (w / 100) * c[j], 0)).toBeLessThanOrEqual(s.budgetPerQuery);
      const realised = splitOutcome(data, s.percent.map((w) => w / 100), ref, p.strategy.batch.budget.kind === 'fraction-of-model' ? p.strategy.batch.budget.fraction : 0);
      expect(realised.spend, p.name).toBeLessThanOrEqual(realised.budget);
      // The split is no worse than the cheapest model alone, and spends more of the budget than it.
      expect(s.expectedAccuracy).toBeGreaterThanOrEqual(Math.min(...(p.decisionPrior!.default as number[])));
    }
    const shares = splitOutcome(rbTest, routerbench.models.map((m) => m.trafficShare), 'gpt-4-1106-preview', 0.3);
    expect(shares.spend).toBeGreaterThan(shares.budget * 1.1);
  });

  it('with router: in the mapping, Envoy sends routeplan-auto to serve-router (priority 0) over the split (priority 1) and LiteLLM loads the hook; both load in their targets', () => {
    const withRouter = parseDeployment(stringify({ ...parse(readFileSync(join(repoRoot, 'tests/fixtures/deployment/routerbench.yaml'), 'utf8')), router: { url: 'http://routeplan-router.llm-gateway.svc.cluster.local:8686', token: { secret: 'routeplan-router-token' } } }));
    const d = resolveDeployment(routerbench, withRouter);
    const envoy = render(routerbench, 'envoy', d);
    expect(checkGatewayConfig('envoy', envoy)).toEqual([]);
    const docs = envoyDocs(envoy);
    const auto = docs.flatMap((x) => (x.kind === 'AIGatewayRoute' ? x.spec.rules : [])).find((r: any) => r.name === 'routeplan-auto');
    expect(auto.backendRefs[0]).toEqual({ name: 'routeplan-router', weight: 1, priority: 0 });
    expect(auto.backendRefs.slice(1).every((b: any) => b.priority === 1 && b.weight > 0)).toBe(true);
    expect(auto.backendRefs.slice(1).reduce((a: number, b: any) => a + b.weight, 0)).toBe(100);
    expect(upstreamUrl('envoy', envoy, 'routeplan-auto', '/v1/chat/completions')).toEqual({ url: 'http://routeplan-router.llm-gateway.svc.cluster.local:8686/v1/chat/completions' });
    expect(docs.find((x) => x.kind === 'BackendSecurityPolicy' && x.spec.apiKey?.secretRef.name === 'routeplan-router-token').spec.targetRefs.map((t: any) => t.name)).toEqual(['routeplan-router']);
    expect(envoy).toMatch(/decided per request by routeplan serve-router/);
    const lite = render(routerbench, 'litellm', d);
    expect(checkGatewayConfig('litellm', lite)).toEqual([]);
    const cfg = parse(lite);
    expect(cfg.litellm_settings.callbacks).toBe('routeplan_litellm_hook.proxy_handler_instance');
    expect(cfg.environment_variables).toEqual({ ROUTEPLAN_ROUTER_URL: 'http://routeplan-router.llm-gateway.svc.cluster.local:8686', ROUTEPLAN_ROUTER_TOKEN_ENV: 'ROUTEPLAN_ROUTER_TOKEN' });
    // Without router: the split alone, labelled as static.
    expect(render(routerbench, 'envoy', resolveDeployment(routerbench, routerbenchMapping))).toMatch(/routeplan-auto: a STATIC random split/);
    expect(render(routerbench, 'litellm', resolveDeployment(routerbench, routerbenchMapping))).toMatch(/routeplan-auto: a STATIC random split/);
  });
});

describe('deployment mapping', () => {
  it('refuses at once every unmapped, key-less and unpriced model, and a model the policy lacks', () => {
    expect(() => resolveDeployment(routerbench)).toThrow(/no provider for meta\/llama-2-70b-chat, mistralai\/mixtral-8x7b-chat, zero-one-ai\/Yi-34B-Chat, WizardLM\/WizardLM-13B-V1.2, meta\/code-llama-instruct-34b-chat, mistralai\/mistral-7b-chat .*no token prices for gpt-3.5-turbo-1106/);
    const extra = parseDeployment(stringify({ format: 'routeplan.deployment', version: 1, models: { 'gpt-9': { provider: 'openai' } } }));
    expect(() => resolveDeployment(sample, extra)).toThrow(/names a model the policy does not have: gpt-9/);
    const keyless = parseDeployment(stringify({ format: 'routeplan.deployment', version: 1, models: { 'mistralai/mixtral-8x7b-chat': { provider: 'openai-compatible', endpoint: 'https://api.example.com/v1' } } }));
    expect(() => resolveDeployment(sample, keyless)).toThrow(/no key reference for mistralai\/mixtral-8x7b-chat/);
    expect(() => parseDeployment('format: routeplan.deployment\nversion: 1\nmodels:\n  x: { provider: openai, priceInPerM: 1 }\n')).toThrow(/models.x: give priceInPerM and priceOutPerM together/);
    expect(() => parseDeployment('format: routeplan.deployment\nversion: 2\n')).toThrow(/version/);
  });

  it('defaults: OpenAI and Claude ids to their APIs with their key Secrets, catalog GPU models to an in-cluster vLLM in the namespace', () => {
    const d = resolveDeployment(sample, parseDeployment('format: routeplan.deployment\nversion: 1\nnamespace: llm\n'));
    const by = Object.fromEntries(d.models.map((m) => [m.id, m]));
    expect(by['gpt-4-1106-preview']).toMatchObject({ provider: 'openai', apiKey: { secret: 'openai-api-key', env: 'OPENAI_API_KEY' } });
    expect(by['claude-instant-v1']).toMatchObject({ provider: 'anthropic', apiKey: { secret: 'anthropic-api-key', env: 'ANTHROPIC_API_KEY' } });
    expect(by['mistralai/mixtral-8x7b-chat']).toMatchObject({ provider: 'vllm', apiKey: null });
    expect(by['mistralai/mixtral-8x7b-chat'].endpoint.href).toBe('http://mistralai-mixtral-8x7b-chat.llm.svc.cluster.local:8000/v1');
  });
});
