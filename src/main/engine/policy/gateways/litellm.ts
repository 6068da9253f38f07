import { stringify } from 'yaml';
import type { Policy } from '../format';
import { AUTO_MODEL, defaultModel, header } from './common';

/**
 * LiteLLM proxy `config.yaml`. Decision mapping: a client that applies the policy (e.g. `routeplan
 * route`) sends each request with `model: <decided model id>`; every model of the policy is a
 * `model_name` of its own, so LiteLLM routes it to exactly that deployment. Traffic sent to
 * `routeplan-auto` (no per-query decision) is split by LiteLLM's simple-shuffle over one deployment
 * per model, weighted by the plan's traffic shares (`litellm_params.weight`). Prices go to
 * `model_info.input_cost_per_token` / `output_cost_per_token` (USD per token) for spend tracking.
 */
export function liteLlmConfig(p: Policy): string {
  const modelInfo = (m: Policy['models'][number]) => ({
    id: `routeplan-${m.id}`,
    mode: 'chat',
    // 12 significant digits: exact for prices given in cents per 1M, free of float noise.
    input_cost_per_token: Number((m.priceInPerM / 1e6).toPrecision(12)),
    output_cost_per_token: Number((m.priceOutPerM / 1e6).toPrecision(12)),
  });
  const exact = p.models.map((m) => ({
    model_name: m.id,
    litellm_params: { model: m.gatewayModel ?? m.id },
    model_info: modelInfo(m),
  }));
  const auto = p.models
    .filter((m) => m.trafficShare > 0)
    .map((m) => ({
      model_name: AUTO_MODEL,
      litellm_params: { model: m.gatewayModel ?? m.id, weight: Number(m.trafficShare.toFixed(6)) },
      model_info: { ...modelInfo(m), id: `routeplan-auto-${m.id}` },
    }));
  const config = {
    model_list: [...exact, ...auto],
    router_settings: {
      routing_strategy: 'simple-shuffle',
      num_retries: 2,
      // Unknown model names fall back to the plan's main model.
      model_group_alias: { default: defaultModel(p) },
    },
    litellm_settings: { drop_params: true },
  };
  return `${header(p, 'LiteLLM proxy')}\n# Send model=<decision of routeplan route> per request, or model=${AUTO_MODEL} for the plan's traffic split.\n${stringify(config, { lineWidth: 0 })}`;
}
