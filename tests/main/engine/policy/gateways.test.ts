import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { gatewayFormats, type GatewayFormat } from '../../../../src/main/engine/policy/gateways';
import { percentWeights } from '../../../../src/main/engine/policy/gateways/common';
import { repoRoot } from '../../../helpers/engine';
import { samplePolicy } from './sample-policy';

const golden = (f: string) => join(repoRoot, 'tests/fixtures/golden', f);
const policy = samplePolicy();

describe('gateway configs', () => {
  it.each(Object.keys(gatewayFormats) as GatewayFormat[])('%s matches its golden file (UPDATE_GOLDEN=1 rewrites)', (fmt) => {
    const g = gatewayFormats[fmt];
    const text = g.render(policy);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden(g.file), text);
    expect(text).toBe(readFileSync(golden(g.file), 'utf8'));
  });

  it('LiteLLM: parses as YAML, every model with its per-token prices, decisions map to model names', () => {
    const cfg = parse(gatewayFormats.litellm.render(policy));
    expect(Object.keys(cfg)).toEqual(expect.arrayContaining(['model_list', 'router_settings']));
    for (const m of policy.models) {
      const entry = cfg.model_list.find((e: any) => e.model_name === m.id);
      expect(entry, m.id).toBeDefined();
      expect(entry.litellm_params.model).toBe(m.gatewayModel ?? m.id);
      expect(entry.model_info.input_cost_per_token).toBeCloseTo(m.priceInPerM / 1e6, 15);
      expect(entry.model_info.output_cost_per_token).toBeCloseTo(m.priceOutPerM / 1e6, 15);
    }
    const auto = cfg.model_list.filter((e: any) => e.model_name === 'routeplan-auto');
    expect(auto.map((e: any) => e.litellm_params.weight)).toEqual(policy.models.map((m) => m.trafficShare));
    expect(cfg.router_settings.routing_strategy).toBe('simple-shuffle');
  });

  it('vLLM Semantic Router: parses as YAML, every model priced, one domain and decision per task', () => {
    const cfg = parse(gatewayFormats['vllm-sr'].render(policy));
    const models = cfg.providers.models;
    expect(models.map((m: any) => m.name)).toEqual(policy.models.map((m) => m.id));
    models.forEach((m: any, j: number) => {
      expect(m.pricing).toEqual({ currency: 'USD', prompt_per_1m: policy.models[j].priceInPerM, completion_per_1m: policy.models[j].priceOutPerM });
    });
    const domains = cfg.routing.signals.domains;
    expect(domains.map((d: any) => d.name)).toEqual(['arc', 'mbpp']);
    for (const d of domains) {
      const scores = d.model_scores.map((s: any) => s.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(d.model_scores).toHaveLength(policy.models.length);
    }
    // arc: gpt-4 has p 0.93 at cost 0.005 -> 0.93 - 0.6 = 0.33; mixtral 0.71 - 0.048 - 0.01 = 0.652; claude 0.8 - 0.084 = 0.716
    const arc = cfg.routing.decisions.find((d: any) => d.rules.conditions[0].name === 'arc');
    expect(arc.modelRefs.map((r: any) => r.model)).toEqual(['claude-instant-v1', 'mistralai/mixtral-8x7b-chat', 'gpt-4-1106-preview']);
  });

  it('Envoy AI Gateway: one backend per model, exact-model rules, auto rule weights summing to 100', () => {
    const docs = parseAllDocuments(gatewayFormats.envoy.render(policy)).map((d) => d.toJSON());
    const backends = docs.filter((d) => d.kind === 'AIServiceBackend');
    expect(backends).toHaveLength(policy.models.length);
    const route = docs.find((d) => d.kind === 'AIGatewayRoute');
    expect(route.apiVersion).toBe('aigateway.envoyproxy.io/v1alpha1');
    const values = route.spec.rules.map((r: any) => r.matches[0].headers[0].value);
    expect(values).toEqual([...policy.models.map((m) => m.id), 'routeplan-auto']);
    const auto = route.spec.rules.at(-1).backendRefs;
    expect(auto.reduce((s: number, b: any) => s + b.weight, 0)).toBe(100);
    expect(auto.map((b: any) => b.weight)).toEqual([25, 60, 15]);
    for (const b of backends) expect(b.metadata.name).toMatch(/^[a-z0-9-]{1,63}$/);
  });

  it('percent weights always sum to 100 and follow the shares', () => {
    for (const shares of [[1 / 3, 1 / 3, 1 / 3], [0.005, 0.995], [0, 0, 1], [0.2, 0.2, 0.2, 0.2, 0.2], [0, 0]]) {
      const w = percentWeights(shares);
      expect(w.reduce((a, b) => a + b, 0)).toBe(100);
      w.forEach((x, j) => expect(Math.abs(x - (100 * shares[j]) / (shares.reduce((a, b) => a + b, 0) || 1))).toBeLessThanOrEqual(shares.every((s) => s === 0) ? 100 : 1));
    }
  });
});
