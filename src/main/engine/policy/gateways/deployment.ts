import { parse } from 'yaml';
import { EngineError } from '../../../../shared/errors';
import type { Policy } from '../format';
import { DeploymentFile, type Provider } from '../../../../shared/contract/deployment';
import { k8sName } from './common';

/**
 * The deployment mapping: where each model of a policy is served and with which credentials. A
 * policy knows models by their dataset ids (`meta/llama-2-70b-chat`); a gateway needs a provider,
 * the upstream's own model name, an endpoint and a key reference. The user owns this file;
 * well-known providers and the catalog's self-hosted models get defaults (resolveDeployment).
 */
export { DeploymentFile, PROVIDERS, type Provider } from '../../../../shared/contract/deployment';

/** Everything a gateway renderer needs of one model. */
export interface Deployment {
  id: string;
  name: string; // Kubernetes-safe
  provider: Provider;
  upstreamModel: string;
  endpoint: URL;
  apiKey: { secret: string; env: string } | null;
  priceInPerM: number;
  priceOutPerM: number;
  trafficShare: number;
}

export interface ResolvedDeployment {
  namespace: string;
  gateway: DeploymentFile['gateway'];
  /** The mapping's one threshold for every vLLM SR task signal; null = the policy's own (or the default). */
  embeddingThreshold: number | null;
  /** Envoy AI Gateway: the schema of Claude backends (OpenAI = Anthropic's OpenAI-compatible endpoint). */
  anthropicSchema: 'OpenAI' | 'Anthropic';
  /** routeplan serve-router, when the gateway asks the policy per request. */
  router: { url: URL; token: { secret: string; env: string } | null } | null;
  models: Deployment[];
}

const PROVIDER_DEFAULTS: Record<'openai' | 'anthropic', { endpoint: string; secret: string; env: string }> = {
  openai: { endpoint: 'https://api.openai.com/v1', secret: 'openai-api-key', env: 'OPENAI_API_KEY' },
  // Anthropic's API base is the host root: every gateway appends /v1/messages (or /v1/chat/completions) itself.
  anthropic: { endpoint: 'https://api.anthropic.com', secret: 'anthropic-api-key', env: 'ANTHROPIC_API_KEY' },
};

/** Providers recognisable from a model id alone (their public API names). */
function providerOfId(id: string): 'openai' | 'anthropic' | null {
  if (/^(gpt-|chatgpt-|o[134](-|$))/.test(id)) return 'openai';
  if (/^claude-/.test(id)) return 'anthropic';
  return null;
}

/** A mapping file's text (YAML or JSON), validated; errors name the field. */
export function parseDeployment(text: string, file = 'deployment mapping'): DeploymentFile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new EngineError('FILE_FORMAT', `${file}: not YAML: ${(err as Error).message}`, { file });
  }
  const r = DeploymentFile.safeParse(raw ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new EngineError('FILE_FORMAT', `${file} is invalid: ${issues.join('; ')}`, { file, issues });
  }
  return r.data;
}

/**
 * Each policy model's deployment: the mapping's entry, else the defaults of a well-known
 * provider, else (the catalog gives it a GPU type) a self-hosted vLLM. Refuses, naming every
 * model at once, when any model is unmapped, lacks a key reference or a price, or when the
 * mapping names a model the policy does not have.
 */
export function resolveDeployment(policy: Policy, file?: DeploymentFile): ResolvedDeployment {
  const mapping = file ?? DeploymentFile.parse({ format: 'routeplan.deployment', version: 1 });
  const ids = new Set(policy.models.map((m) => m.id));
  const unknown = Object.keys(mapping.models).filter((id) => !ids.has(id));
  if (unknown.length) throw new EngineError('INVALID_INPUT', `the deployment mapping names ${unknown.length === 1 ? 'a model' : 'models'} the policy does not have: ${unknown.join(', ')} (policy models: ${[...ids].join(', ')})`, { field: 'models', models: unknown });
  const unmapped: string[] = [];
  const noKey: string[] = [];
  const unpriced: string[] = [];
  const badEndpoint: string[] = [];
  const models: Deployment[] = [];
  const names = new Map<string, string>();
  for (const m of policy.models) {
    const given = mapping.models[m.id];
    const provider: Provider | null = given?.provider ?? providerOfId(m.id) ?? (m.gpuType ? 'vllm' : null);
    if (!provider) {
      unmapped.push(m.id);
      continue;
    }
    const name = k8sName(m.id);
    if (names.has(name)) throw new EngineError('INVALID_INPUT', `models ${names.get(name)} and ${m.id} map to the same Kubernetes name "${name}"`, { field: 'models' });
    names.set(name, m.id);
    const known = provider === 'openai' || provider === 'anthropic' ? PROVIDER_DEFAULTS[provider] : null;
    const endpointText = given?.endpoint ?? known?.endpoint ?? (provider === 'vllm' ? mapping.selfHosted.endpoint.replaceAll('{name}', name).replaceAll('{namespace}', mapping.namespace) : undefined);
    let endpoint: URL | null = null;
    try {
      endpoint = endpointText ? new URL(endpointText) : null;
    } catch {
      endpoint = null;
    }
    // A Claude endpoint given as ".../v1" (Anthropic's docs show both) would become /v1/v1/messages
    // in every gateway (they all append /v1/messages): keep the API base at its root.
    if (endpoint && provider === 'anthropic') endpoint.pathname = endpoint.pathname.replace(/\/v1\/*$/, '/');
    if (!endpoint) {
      badEndpoint.push(`${m.id} (${endpointText ? `"${endpointText}" is not a URL` : `provider ${provider} needs an endpoint`})`);
      continue;
    }
    let apiKey: Deployment['apiKey'] = null;
    if (given?.apiKey) {
      const env = given.apiKey.env ?? given.apiKey.secret!.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
      apiKey = { secret: given.apiKey.secret ?? env.toLowerCase().replace(/_/g, '-'), env };
    } else if (given?.auth !== 'none' && known) apiKey = { secret: known.secret, env: known.env };
    else if (given?.auth !== 'none' && provider === 'openai-compatible') {
      noKey.push(m.id);
      continue;
    }
    // A catalog (or dataset-derived) price is meant, even 0; an unsourced 0 is an unknown price.
    const catalogPriced = m.priceSource === 'catalog' || m.priceSource === 'dataset-tokens' || (m.priceSource === undefined && (m.priceInPerM > 0 || m.priceOutPerM > 0));
    if (given?.priceInPerM === undefined && !catalogPriced) unpriced.push(m.id);
    models.push({ id: m.id, name, provider, upstreamModel: given?.upstreamModel ?? m.id, endpoint, apiKey, priceInPerM: given?.priceInPerM ?? m.priceInPerM, priceOutPerM: given?.priceOutPerM ?? m.priceOutPerM, trafficShare: m.trafficShare });
  }
  const problems = [
    unmapped.length && `no provider for ${unmapped.join(', ')} (not a well-known API model, and the catalog gives no GPU type): add each under models: with provider, endpoint and apiKey or auth: none`,
    badEndpoint.length && `no usable endpoint for ${badEndpoint.join(', ')}`,
    noKey.length && `no key reference for ${noKey.join(', ')} (provider openai-compatible): add apiKey: {secret, env}, or auth: none if the endpoint takes no key`,
    unpriced.length && `no token prices for ${unpriced.map((id) => `${id} (mean realised cost ${meanCost(policy, id)} USD per query)`).join(', ')}: the catalog has none; add priceInPerM and priceOutPerM (0 is allowed, written as you give it)`,
  ].filter(Boolean) as string[];
  if (problems.length) {
    throw new EngineError('INVALID_INPUT', `the deployment mapping is incomplete: ${problems.join('; ')}`, { field: 'deployment', unmapped, noKey, unpriced });
  }
  return { namespace: mapping.namespace, gateway: mapping.gateway, embeddingThreshold: mapping.signals.embeddingThreshold ?? null, anthropicSchema: mapping.envoy.anthropicSchema, router: routerOf(mapping), models };
}

function routerOf(mapping: DeploymentFile): ResolvedDeployment['router'] {
  const r = mapping.router;
  if (!r) return null;
  const t = r.token;
  const env = t ? (t.env ?? t.secret!.toUpperCase().replace(/[^A-Z0-9]+/g, '_')) : null;
  return { url: new URL(r.url), token: t && env ? { secret: t.secret ?? env.toLowerCase().replace(/_/g, '-'), env } : null };
}

function meanCost(policy: Policy, id: string): string {
  const j = policy.models.findIndex((m) => m.id === id);
  const cm = policy.costModel;
  const c = cm.kind === 'per-task' ? cm.default[j] : NaN;
  return Number.isFinite(c) ? c.toPrecision(3) : 'unknown';
}
