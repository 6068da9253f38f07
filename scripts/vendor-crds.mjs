// Extracts the openAPIV3Schema of the CRDs routeplan's Envoy AI Gateway export writes into
// schemas/vendor/envoy/, with repository, path and commit (see schemas/vendor/README.md).
// Usage: node scripts/vendor-crds.mjs <git dir of envoyproxy/ai-gateway> <git dir of envoyproxy/gateway>
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const [aiGateway, gateway] = process.argv.slice(2);
const crds = [
  [aiGateway, 'envoyproxy/ai-gateway', 'manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_aigatewayroutes.yaml', 'AIGatewayRoute', 'v1beta1'],
  [aiGateway, 'envoyproxy/ai-gateway', 'manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_aiservicebackends.yaml', 'AIServiceBackend', 'v1beta1'],
  [aiGateway, 'envoyproxy/ai-gateway', 'manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_backendsecuritypolicies.yaml', 'BackendSecurityPolicy', 'v1beta1'],
  [gateway, 'envoyproxy/gateway', 'charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_backends.yaml', 'Backend', 'v1alpha1'],
  [gateway, 'envoyproxy/gateway', 'charts/gateway-helm/charts/crds/crds/gatewayapi-crds.yaml', 'GatewayClass', 'v1'],
  [gateway, 'envoyproxy/gateway', 'charts/gateway-helm/charts/crds/crds/gatewayapi-crds.yaml', 'Gateway', 'v1'],
  [gateway, 'envoyproxy/gateway', 'charts/gateway-helm/charts/crds/crds/gatewayapi-crds.yaml', 'BackendTLSPolicy', 'v1'],
];
mkdirSync('schemas/vendor/envoy', { recursive: true });
for (const [gitDir, repository, path, kind, version] of crds) {
  const commit = execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const text = execFileSync('git', ['--git-dir', gitDir, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const crd = parseAllDocuments(text).map((d) => d.toJSON()).find((d) => d?.kind === 'CustomResourceDefinition' && d.spec.names.kind === kind);
  const v = crd?.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${kind} ${version} not in ${repository}/${path}`);
  const out = { source: { repository, path, commit, group: crd.spec.group, kind, version, served: v.served, storage: v.storage, deprecated: !!v.deprecated }, openAPIV3Schema: v.schema.openAPIV3Schema };
  writeFileSync(`schemas/vendor/envoy/${kind}.${version}.json`, JSON.stringify(out) + '\n');
  console.log(kind, version, 'served', v.served, 'storage', v.storage, 'deprecated', !!v.deprecated);
}
