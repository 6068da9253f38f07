import { stringify } from 'yaml';
import type { Policy } from '../format';
import { AUTO_MODEL, header, k8sName, percentWeights } from './common';

/**
 * Envoy AI Gateway resources (aigateway.envoyproxy.io/v1alpha1): one AIServiceBackend per model,
 * and an AIGatewayRoute whose rules match the `x-ai-eg-model` header (the gateway fills it from
 * the request's model field). A request naming a model goes to that model's backend — the
 * per-query decision of `routeplan route`; a request for `routeplan-auto` is split over the
 * backends with weights from the capacity plan (integer percentages of the planned traffic).
 */
export function envoyAiGatewayConfig(p: Policy, opts: { gateway?: string; namespace?: string } = {}): string {
  const gateway = opts.gateway ?? 'routeplan-gateway';
  const namespace = opts.namespace ?? 'default';
  const backend = (id: string) => `routeplan-${k8sName(id)}`;
  const weights = percentWeights(p.models.map((m) => m.trafficShare));
  const docs: unknown[] = p.models.map((m) => ({
    apiVersion: 'aigateway.envoyproxy.io/v1alpha1',
    kind: 'AIServiceBackend',
    metadata: { name: backend(m.id), namespace },
    spec: { schema: { name: 'OpenAI' }, backendRef: { name: backend(m.id), kind: 'Backend', group: 'gateway.envoyproxy.io' } },
  }));
  const match = (value: string) => [{ headers: [{ type: 'Exact', name: 'x-ai-eg-model', value }] }];
  docs.push({
    apiVersion: 'aigateway.envoyproxy.io/v1alpha1',
    kind: 'AIGatewayRoute',
    metadata: { name: `routeplan-${k8sName(p.name)}`, namespace, annotations: { 'routeplan/policy-sha256': p.contentHash } },
    spec: {
      parentRefs: [{ name: gateway, kind: 'Gateway', group: 'gateway.networking.k8s.io' }],
      rules: [
        ...p.models.map((m) => ({ matches: match(m.id), backendRefs: [{ name: backend(m.id) }] })),
        {
          matches: match(AUTO_MODEL),
          backendRefs: p.models.map((m, j) => ({ name: backend(m.id), weight: weights[j] })).filter((b) => b.weight > 0),
        },
      ],
    },
  });
  return `${header(p, 'Envoy AI Gateway')}\n${docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n')}`;
}
