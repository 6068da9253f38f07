import { posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { GatewayFormat } from './names';

/** The two client paths the walk-throughs send: OpenAI chat completions and Anthropic messages. */
export type ClientPath = '/v1/chat/completions' | '/v1/messages';

/** Where a gateway sends a request for one model, or why it cannot. */
export type Upstream = { url: string } | { error: string };

type Obj = Record<string, any>;

/**
 * The final upstream URL each gateway builds for a request naming `model` on `clientPath`,
 * computed from the generated config with ports of the gateways' own path rules (cited per
 * target below). Tests compare these with the providers' real endpoints, so a config that sends
 * Claude to /v1/v1/messages, or Claude to a translator the endpoint lacks, fails there.
 * Default ports are dropped (https://host:443/x is https://host/x).
 */
export function upstreamUrl(format: GatewayFormat, configText: string, model: string, clientPath: ClientPath): Upstream {
  if (format === 'vllm-sr') return vllmSr(parse(configText), model, clientPath);
  if (format === 'litellm') return liteLlm(parse(configText), model);
  return envoy(parseAllDocuments(configText).map((d) => d.toJSON()).filter(Boolean), model, clientPath);
}

const join = (...parts: string[]) => posix.join('/', ...parts);
function origin(scheme: string, host: string, port: number): string {
  const dflt = (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80);
  return `${scheme}://${host}${dflt ? '' : `:${port}`}`;
}

// vllm-project/semantic-router@3d48f8c9cc0d5b15067ce324a03ec6cc25f192c3,
// src/semantic-router/pkg/config/helper.go: providerTypeRegistry's ChatPath per provider type, and
// ResolveChatPath = base_url's path (trailing "/" trimmed, "" and "/" = none) + that suffix.
const VLLM_SR_CHAT_PATH: Record<string, string> = { openai: '/chat/completions', anthropic: '/v1/messages', 'azure-openai': '/chat/completions', bedrock: '/chat/completions', gemini: '/chat/completions', 'vertex-ai': '/chat/completions', minimax: '/v1/chat/completions' };

function vllmSr(cfg: Obj, model: string, clientPath: ClientPath): Upstream {
  const m = (cfg?.providers?.models ?? []).find((x: Obj) => x.name === model);
  if (!m) return { error: `no providers.models entry named ${model}` };
  const ref = m.backend_refs?.[0];
  if (!ref) return { error: `${model} has no backend_refs` };
  if (ref.base_url || ref.provider) {
    // canonical_config.go: any of base_url/provider/... makes a provider profile; helper.go
    // (endpoint address from the profile) takes base_url's host, port 443/80 by scheme.
    const suffix = VLLM_SR_CHAT_PATH[ref.provider];
    if (!suffix) return { error: `unknown provider type "${ref.provider}" — cannot determine chat path` };
    const u = new URL(ref.base_url);
    const base = u.pathname !== '' && u.pathname !== '/' ? u.pathname.replace(/\/+$/, '') : '';
    const scheme = u.protocol.replace(':', '');
    return { url: `${origin(scheme, u.hostname, Number(u.port) || (scheme === 'https' ? 443 : 80))}${base}${suffix}` };
  }
  // A host:port endpoint without a profile: processor_req_body_routing.go leaves :path as the
  // client sent it, but rewrites an Anthropic-protocol client's to /v1/chat/completions.
  const [host, port] = String(ref.endpoint).split(':');
  const scheme = ref.protocol === 'https' ? 'https' : 'http';
  return { url: `${origin(scheme, host, Number(port) || (scheme === 'https' ? 443 : 80))}${clientPath === '/v1/messages' ? '/v1/chat/completions' : clientPath}` };
}

// BerriAI/litellm: the OpenAI client (openai/, hosted_vllm/) posts to api_base + "/chat/completions"
// (api_base default https://api.openai.com/v1); litellm/llms/anthropic/chat/transformation.py
// (AnthropicConfig.get_complete_url, stored version 600fadcec9c85bab926c43cebf41bfa031080b58):
// api_base (default https://api.anthropic.com) + "/v1/messages" unless it already ends so.
function liteLlm(cfg: Obj, model: string): Upstream {
  const e = (cfg?.model_list ?? []).find((x: Obj) => x.model_name === model);
  if (!e) return { error: `no model_list entry named ${model}` };
  const p = e.litellm_params ?? {};
  const prefix = String(p.model).split('/')[0];
  if (prefix === 'anthropic') {
    const base = p.api_base ?? 'https://api.anthropic.com';
    return { url: base.endsWith('/v1/messages') ? base : `${base}/v1/messages` };
  }
  if (prefix === 'openai' || prefix === 'hosted_vllm') {
    if (prefix === 'hosted_vllm' && !p.api_base) return { error: `${model}: hosted_vllm needs api_base` };
    return { url: `${String(p.api_base ?? 'https://api.openai.com/v1').replace(/\/+$/, '')}/chat/completions` };
  }
  return { error: `${model}: provider route ${prefix}/ is not one routeplan writes` };
}

// envoyproxy/ai-gateway@c217da8a539570ba3f6014a60c2687c29a945f1f: internal/controller/gateway.go
// (schemaToFilterAPI: an OpenAI or Anthropic schema's prefix defaults to "v1"),
// internal/endpointspec/endpointspec.go (which schemas each endpoint translates to),
// internal/translator/openai_openai.go (path.Join("/", prefix, "chat/completions")),
// internal/translator/anthropic_anthropic.go (path.Join("/", prefix, "messages")); the host and
// port are the Envoy Gateway Backend's endpoint, TLS when a BackendTLSPolicy targets it.
const CHAT_SCHEMAS = ['OpenAI', 'AWSBedrock', 'AWSAnthropic', 'AzureOpenAI', 'GCPVertexAI', 'GCPAnthropic'];
const MESSAGES_SCHEMAS = ['GCPAnthropic', 'AWSAnthropic', 'Anthropic', 'OpenAI', 'AWSBedrock'];

function envoy(docs: Obj[], model: string, clientPath: ClientPath): Upstream {
  const rule = docs
    .filter((d) => d.kind === 'AIGatewayRoute')
    .flatMap((r) => r.spec?.rules ?? [])
    .find((x: Obj) => (x.matches ?? []).some((m: Obj) => (m.headers ?? []).some((h: Obj) => h.name === 'x-ai-eg-model' && h.value === model)));
  if (!rule) return { error: `no AIGatewayRoute rule matches x-ai-eg-model=${model} (the gateway answers 404)` };
  const ref = rule.backendRefs?.[0];
  const asb = docs.find((d) => d.kind === 'AIServiceBackend' && d.metadata?.name === ref?.name);
  if (!asb) return { error: `AIServiceBackend ${ref?.name} is missing` };
  const schema = asb.spec.schema as { name: string; prefix?: string };
  const prefix = schema.prefix || 'v1';
  let path: string;
  if (clientPath === '/v1/chat/completions') {
    if (!CHAT_SCHEMAS.includes(schema.name)) return { error: `unsupported API schema: backend=${schema.name} on /v1/chat/completions` };
    if (schema.name !== 'OpenAI') return { error: `${schema.name} paths are not ported` };
    path = join(prefix, 'chat/completions');
  } else {
    if (!MESSAGES_SCHEMAS.includes(schema.name)) return { error: `/v1/messages does not serve a ${schema.name} backend` };
    if (schema.name === 'Anthropic') path = join(prefix, 'messages');
    else if (schema.name === 'OpenAI') path = join(prefix, 'chat/completions');
    else return { error: `${schema.name} paths are not ported` };
  }
  const be = docs.find((d) => d.kind === 'Backend' && d.metadata?.name === asb.spec.backendRef?.name);
  const ep = be?.spec?.endpoints?.[0];
  if (!ep) return { error: `Backend ${asb.spec.backendRef?.name} is missing` };
  const host = ep.fqdn?.hostname ?? ep.ip?.address;
  const port = ep.fqdn?.port ?? ep.ip?.port;
  const tls = docs.some((d) => d.kind === 'BackendTLSPolicy' && (d.spec?.targetRefs ?? []).some((t: Obj) => t.kind === 'Backend' && t.name === be.metadata.name));
  return { url: `${origin(tls ? 'https' : 'http', host, port)}${path}` };
}
