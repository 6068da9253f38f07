import type { Policy } from '../format';
import { AUTO_MODEL, defaultModel, header, toYaml } from './common';
import type { Deployment, ResolvedDeployment } from './deployment';
import { staticSplit } from './static-split';

/** The pre-call hook module shipped in reference/litellm/ (LiteLLM loads callbacks as module.instance). */
export const LITELLM_HOOK_MODULE = 'routeplan_litellm_hook';

/** The LiteLLM types the output is checked against (schemas/vendor/litellm/README.md). */
export const LITELLM_TARGET = 'LiteLLM proxy config.yaml (types of BerriAI/litellm@0044fbecee0c76affc468f39b4f29da782eb4961, litellm/types/router.py)';

const DEFAULT_ENDPOINTS: Partial<Record<Deployment['provider'], string>> = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' };

/**
 * LiteLLM's provider route: `openai/` (also any OpenAI-API service, with api_base), `anthropic/`,
 * `hosted_vllm/` for a self-hosted vLLM. api_base only where the endpoint is not the provider's
 * own; keys as `os.environ/NAME` references, never values.
 */
function litellmParams(m: Deployment): Record<string, unknown> {
  const prefix = m.provider === 'anthropic' ? 'anthropic' : m.provider === 'vllm' ? 'hosted_vllm' : 'openai';
  const base = m.endpoint.href.replace(/\/+$/, '');
  return {
    model: `${prefix}/${m.upstreamModel}`,
    ...(DEFAULT_ENDPOINTS[m.provider] === base ? {} : { api_base: base }),
    ...(m.apiKey ? { api_key: `os.environ/${m.apiKey.env}` } : {}),
    // 12 significant digits: exact for prices given in cents per 1M, free of float noise.
    input_cost_per_token: Number((m.priceInPerM / 1e6).toPrecision(12)),
    output_cost_per_token: Number((m.priceOutPerM / 1e6).toPrecision(12)),
  };
}

/**
 * LiteLLM proxy `config.yaml`. A client that applies the policy (`routeplan route`) sends each
 * request with `model: <decided model id>`: every policy model is a `model_name` of its own, so
 * LiteLLM sends it to exactly that deployment. `routeplan-auto` (no per-query decision) is one
 * model group with a deployment per planned model, split by simple-shuffle with the plan's traffic
 * shares as `weight`; when a deployment fails, the group's others take the request (fallbacks).
 */
export function liteLlmConfig(p: Policy, d: ResolvedDeployment): string {
  const exact = d.models.map((m) => ({ model_name: m.id, litellm_params: litellmParams(m), model_info: { id: `routeplan-${m.name}`, mode: 'chat' } }));
  // The static split (fallback when the hook cannot reach serve-router, or without it): weights
  // solved so that its expected cost stays within the policy's budget (static-split.ts).
  const split = staticSplit(p);
  const weightOf = (m: Deployment) => (split.percent[p.models.findIndex((x) => x.id === m.id)] ?? 0) / 100;
  const auto = d.models
    .filter((m) => weightOf(m) > 0)
    .map((m) => ({ model_name: AUTO_MODEL, litellm_params: { ...litellmParams(m), weight: weightOf(m) }, model_info: { id: `routeplan-auto-${m.name}`, mode: 'chat' } }));
  const main = defaultModel(p);
  const hook = d.router
    ? {
        callbacks: `${LITELLM_HOOK_MODULE}.proxy_handler_instance`,
      }
    : {};
  const config = {
    model_list: [...exact, ...auto],
    router_settings: {
      routing_strategy: 'simple-shuffle',
      num_retries: 2,
      // A decided model that fails falls back to the plan's main model.
      fallbacks: d.models.filter((m) => m.id !== main).map((m) => ({ [m.id]: [main] })),
    },
    litellm_settings: { drop_params: true, ...hook },
    ...(d.router ? { environment_variables: { ROUTEPLAN_ROUTER_URL: d.router.url.href.replace(/\/+$/, ''), ...(d.router.token ? { ROUTEPLAN_ROUTER_TOKEN_ENV: d.router.token.env } : {}) } } : {}),
  };
  const auto_ = d.router
    ? `# model=${AUTO_MODEL}: the pre-call hook ${LITELLM_HOOK_MODULE}.py (shipped in reference/litellm/, put it next to this file) asks routeplan serve-router at ${d.router.url.href} and sends the request to the decided model; when the router cannot answer, the static split below serves it (fallback).\n`
    : `# model=${AUTO_MODEL}: a STATIC random split, not the policy's per-request decision (add router: to the mapping for the pre-call hook).\n`;
  const budget = `# Static split: weights solved for expected cost ${split.expectedCostPerQuery.toPrecision(4)} USD/query ${split.withinBudget ? '<=' : '>'} the policy budget ${split.budgetPerQuery.toPrecision(4)} USD/query (mean training costs).\n`;
  return `${header(p, LITELLM_TARGET)}\n# Send model=<decision of routeplan route> per request, or model=${AUTO_MODEL}.\n${auto_}${budget}# Keys are read from the environment: ${[...new Set(d.models.filter((m) => m.apiKey).map((m) => m.apiKey!.env))].join(', ') || 'none needed'}.\n${toYaml(config)}`;
}
