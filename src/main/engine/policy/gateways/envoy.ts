import { isIP } from 'node:net';
import { EngineError } from '../../../../shared/errors';
import type { Policy } from '../format';
import { AUTO_MODEL, header, k8sName, toYaml } from './common';
import { staticSplit } from './static-split';
import type { Deployment, ResolvedDeployment } from './deployment';

/**
 * The AIServiceBackend schema of a model. The chat-completions endpoint has translators for OpenAI
 * but not Anthropic (envoyproxy/ai-gateway@c217da8a, internal/endpointspec/endpointspec.go,
 * ChatCompletionsEndpointSpec.GetTranslator): Claude goes to Anthropic's OpenAI-compatible endpoint
 * (https://api.anthropic.com/v1/chat/completions, Bearer key) unless the mapping asks for the
 * Messages API, which the gateway serves on /v1/messages only.
 */
export function backendSchema(m: Deployment, anthropicSchema: 'OpenAI' | 'Anthropic'): { name: 'OpenAI' | 'Anthropic'; prefix: string } {
  const root = m.endpoint.pathname.replace(/\/+$/, '');
  if (m.provider === 'anthropic') return { name: anthropicSchema, prefix: `${root}/v1` };
  return { name: 'OpenAI', prefix: root || '/' };
}

/** The CRD set the output is checked against (schemas/vendor/envoy-ai-gateway/README.md). */
export const ENVOY_TARGET = 'Envoy AI Gateway, aigateway.envoyproxy.io/v1beta1 (CRDs of envoyproxy/ai-gateway@c217da8a539570ba3f6014a60c2687c29a945f1f)';

// AIGatewayRoute.spec.rules maxItems, BackendSecurityPolicy.spec.targetRefs maxItems, rule backendRefs maxItems.
export const MAX_RULES = 15;
const MAX_TARGETS = 16;
const MAX_BACKEND_REFS = 128;

/**
 * Every object Envoy AI Gateway needs to serve the policy: the Gateway (unless an existing one is
 * named), per model an AIServiceBackend with the provider's schema over an Envoy Gateway Backend
 * (plus BackendTLSPolicy for https upstreams), BackendSecurityPolicies binding each key Secret, and
 * AIGatewayRoutes whose rules match the `x-ai-eg-model` header (the gateway fills it from the
 * request body's model): a request naming a model reaches that model (the per-query decision of
 * `routeplan route`); `routeplan-auto` is split by the capacity plan's traffic shares. Rules are
 * split over several routes to respect the 15-rule limit. Secrets are not written: the walk-through
 * in docs/policies.md creates them with kubectl.
 */
export function envoyAiGatewayConfig(p: Policy, d: ResolvedDeployment): string {
  const ns = d.namespace;
  const backendName = (m: Deployment) => `routeplan-${m.name}`;
  const docs: Record<string, unknown>[] = [];
  if (d.gateway.create) {
    docs.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: d.gateway.className }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } });
    docs.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: d.gateway.name, namespace: ns }, spec: { gatewayClassName: d.gateway.className, listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } });
  }
  const router = routerDeployment(d);
  for (const m of router ? [...d.models, router] : d.models) {
    const host = m.endpoint.hostname.replace(/^\[|\]$/g, '');
    const tls = m.endpoint.protocol === 'https:';
    const port = Number(m.endpoint.port) || (tls ? 443 : 80);
    const endpoint = isIP(host) ? { ip: { address: host, port } } : { fqdn: { hostname: host, port } };
    docs.push({ apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'Backend', metadata: { name: backendName(m), namespace: ns }, spec: { endpoints: [endpoint] } });
    if (tls) {
      docs.push({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'BackendTLSPolicy',
        metadata: { name: `${backendName(m)}-tls`, namespace: ns },
        spec: { targetRefs: [{ group: 'gateway.envoyproxy.io', kind: 'Backend', name: backendName(m) }], validation: { wellKnownCACertificates: 'System', hostname: host } },
      });
    }
    // The gateway's path = prefix (unset: "v1") + "/chat/completions" (OpenAI) or "/messages"
    // (Anthropic): written explicitly, so an endpoint at a host's root keeps its root.
    const schema = backendSchema(m, d.anthropicSchema);
    docs.push({
      apiVersion: 'aigateway.envoyproxy.io/v1beta1',
      kind: 'AIServiceBackend',
      metadata: { name: backendName(m), namespace: ns, annotations: { 'routeplan/model': m.id, 'routeplan/provider': m.provider } },
      spec: { schema, backendRef: { name: backendName(m), kind: 'Backend', group: 'gateway.envoyproxy.io' } },
    });
  }
  docs.push(...securityPolicies(router ? { ...d, models: [...d.models, router] } : d, backendName));
  docs.push(...routes(p, d, backendName, router));
  const body = docs.map((doc) => toYaml(doc)).join('---\n');
  const split = staticSplit(p);
  const auto = router
    ? `# ${AUTO_MODEL}: decided per request by routeplan serve-router at ${d.router!.url.href} (priority 0; run it with --gateway http://<this gateway>); the static split below is the fallback (priority 1).\n`
    : `# ${AUTO_MODEL}: a STATIC random split, not the policy's per-request decision (add router: to the mapping to route through routeplan serve-router).\n`;
  const budgetNote = `# Static split: weights solved for expected cost ${split.expectedCostPerQuery.toPrecision(4)} USD/query ${split.withinBudget ? '<=' : '>'} the policy budget ${split.budgetPerQuery.toPrecision(4)} USD/query (mean training costs); expected accuracy ${split.expectedAccuracy.toFixed(4)}.\n`;
  return `${header(p, ENVOY_TARGET)}\n${auto}${budgetNote}# Create each key Secret first (key "apiKey"), e.g.: kubectl create secret generic openai-api-key -n ${ns} --from-literal=apiKey=$OPENAI_API_KEY\n${body}`;
}

function securityPolicies(d: ResolvedDeployment, backendName: (m: Deployment) => string): Record<string, unknown>[] {
  const bySecret = new Map<string, { type: 'APIKey' | 'AnthropicAPIKey'; models: Deployment[] }>();
  for (const m of d.models) {
    if (!m.apiKey) continue;
    const type = m.provider === 'anthropic' && d.anthropicSchema === 'Anthropic' ? 'AnthropicAPIKey' : 'APIKey';
    const key = `${type}/${m.apiKey.secret}`;
    if (!bySecret.has(key)) bySecret.set(key, { type, models: [] });
    bySecret.get(key)!.models.push(m);
  }
  const out: Record<string, unknown>[] = [];
  for (const { type, models } of bySecret.values()) {
    const secret = models[0].apiKey!.secret;
    for (let at = 0, part = 1; at < models.length; at += MAX_TARGETS, part++) {
      const chunk = models.slice(at, at + MAX_TARGETS);
      const suffix = models.length > MAX_TARGETS ? `-${part}` : '';
      const ref = { secretRef: { name: secret, namespace: d.namespace } };
      out.push({
        apiVersion: 'aigateway.envoyproxy.io/v1beta1',
        kind: 'BackendSecurityPolicy',
        metadata: { name: k8sName(`routeplan-${secret}${type === 'AnthropicAPIKey' ? '-anthropic' : ''}${suffix}`), namespace: d.namespace },
        spec: { targetRefs: chunk.map((m) => ({ group: 'aigateway.envoyproxy.io', kind: 'AIServiceBackend', name: backendName(m) })), type, ...(type === 'APIKey' ? { apiKey: ref } : { anthropicAPIKey: ref }) },
      });
    }
  }
  return out;
}

/** serve-router as one more OpenAI-API backend (its API under /v1), keyed by its token's Secret. */
function routerDeployment(d: ResolvedDeployment): Deployment | null {
  if (!d.router) return null;
  const endpoint = new URL(d.router.url.href);
  endpoint.pathname = '/v1';
  return { id: ROUTER_BACKEND, name: 'router', provider: 'vllm', upstreamModel: AUTO_MODEL, endpoint, apiKey: d.router.token, priceInPerM: 0, priceOutPerM: 0, trafficShare: 0 };
}

const ROUTER_BACKEND = 'routeplan-serve-router';

/**
 * Rules per model, and routeplan-auto: with serve-router in the mapping, its backend at priority 0
 * (the policy decides each request and sends it back through this gateway under the decided
 * model's name) and the static split at priority 1, Envoy's failover when the router is down;
 * without it the static split alone. The split's weights are solved so that its expected cost is
 * within the policy's budget (static-split.ts), never the plan's per-query shares.
 */
function routes(p: Policy, d: ResolvedDeployment, backendName: (m: Deployment) => string, router: Deployment | null): Record<string, unknown>[] {
  const match = (value: string) => [{ headers: [{ type: 'Exact', name: 'x-ai-eg-model', value }] }];
  const ref = (m: Deployment, always: boolean) => ({ name: backendName(m), ...(always || m.upstreamModel !== m.id ? { modelNameOverride: m.upstreamModel } : {}) });
  const split = staticSplit(p);
  const weights = d.models.map((m) => split.percent[p.models.findIndex((x) => x.id === m.id)] ?? 0);
  const fallback = d.models.map((m, j) => ({ ...ref(m, true), weight: weights[j], ...(router ? { priority: 1 } : {}) })).filter((b) => b.weight > 0);
  const autoRefs = router ? [{ name: backendName(router), weight: 1, priority: 0 }, ...fallback] : fallback;
  if (autoRefs.length > MAX_BACKEND_REFS) throw new EngineError('INVALID_INPUT', `the plan splits ${AUTO_MODEL} over ${autoRefs.length} models; an AIGatewayRoute rule takes at most ${MAX_BACKEND_REFS} backends`);
  const rules = [
    ...d.models.map((m) => ({ name: m.name, matches: match(m.id), backendRefs: [ref(m, false)] })),
    { name: AUTO_MODEL, matches: match(AUTO_MODEL), backendRefs: autoRefs },
  ];
  const base = `routeplan-${k8sName(p.name)}`.slice(0, 60);
  const out: Record<string, unknown>[] = [];
  for (let at = 0, part = 1; at < rules.length; at += MAX_RULES, part++) {
    out.push({
      apiVersion: 'aigateway.envoyproxy.io/v1beta1',
      kind: 'AIGatewayRoute',
      metadata: { name: rules.length > MAX_RULES ? `${base}-${part}` : base, namespace: d.namespace, annotations: { 'routeplan/policy-sha256': p.contentHash } },
      spec: {
        parentRefs: [{ name: d.gateway.name, kind: 'Gateway', group: 'gateway.networking.k8s.io' }],
        rules: rules.slice(at, at + MAX_RULES),
        // Token counts per request into dynamic metadata, for usage-based rate limits.
        llmRequestCosts: [
          { metadataKey: 'llm_input_token', type: 'InputToken' },
          { metadataKey: 'llm_output_token', type: 'OutputToken' },
          { metadataKey: 'llm_total_token', type: 'TotalToken' },
        ],
      },
    });
  }
  return out;
}
