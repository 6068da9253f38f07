import type { ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import aiGatewayRoute from '../../../../../schemas/vendor/envoy/AIGatewayRoute.v1beta1.json';
import aiServiceBackend from '../../../../../schemas/vendor/envoy/AIServiceBackend.v1beta1.json';
import backend from '../../../../../schemas/vendor/envoy/Backend.v1alpha1.json';
import backendSecurityPolicy from '../../../../../schemas/vendor/envoy/BackendSecurityPolicy.v1beta1.json';
import backendTlsPolicy from '../../../../../schemas/vendor/envoy/BackendTLSPolicy.v1.json';
import gateway from '../../../../../schemas/vendor/envoy/Gateway.v1.json';
import gatewayClass from '../../../../../schemas/vendor/envoy/GatewayClass.v1.json';
import litellmSchema from '../../../../../schemas/vendor/litellm/proxy-config.schema.json';
import vllmSrSchema from '../../../../../schemas/vendor/vllm-sr/UserConfig.schema.json';
import type { GatewayFormat } from './names';
import { crdValidator, describeErrors, jsonSchemaValidator } from './schema-check';

type Obj = Record<string, any>;

/**
 * Problems the target's own loader would report for a generated config: its vendored schema
 * (schemas/vendor, with the upstream repository, path and commit of each), plus ports of the
 * loader's rules a schema cannot state (CEL rules of the CRDs, the vLLM SR validator's
 * cross-references, names that must resolve). Empty = the loader accepts it.
 */
export function checkGatewayConfig(format: GatewayFormat, text: string): string[] {
  if (format === 'envoy') return checkEnvoy(text);
  let doc: Obj;
  try {
    doc = parse(text);
  } catch (err) {
    return [`not YAML: ${(err as Error).message}`];
  }
  return format === 'litellm' ? checkLiteLlm(doc) : checkVllmSr(doc);
}

const crds: Record<string, { source: { group: string; version: string; kind: string }; openAPIV3Schema: object }> = Object.fromEntries(
  [aiGatewayRoute, aiServiceBackend, backend, backendSecurityPolicy, backendTlsPolicy, gateway, gatewayClass].map((c) => [`${c.source.group}/${c.source.version}/${c.source.kind}`, c]),
);
const compiled = new Map<string, ValidateFunction>();
const once = <T>(f: () => T) => {
  let v: T | undefined;
  return () => (v ??= f());
};
const litellm = once(() => jsonSchemaValidator(litellmSchema));
const vllmSr = once(() => jsonSchemaValidator(vllmSrSchema));

// RFC 1123 subdomain: what the API server requires of metadata.name.
const K8S_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function checkEnvoy(text: string): string[] {
  const problems: string[] = [];
  const docs: Obj[] = [];
  for (const [i, d] of parseAllDocuments(text).entries()) {
    if (d.errors.length) return [`document ${i + 1}: not YAML: ${d.errors[0].message}`];
    const o = d.toJSON();
    if (o != null) docs.push(o);
  }
  const named = (kind: string) => new Map(docs.filter((d) => d.kind === kind).map((d) => [`${d.metadata?.namespace ?? 'default'}/${d.metadata?.name}`, d]));
  for (const [i, d] of docs.entries()) {
    const where = `${d.kind ?? 'document'} ${d.metadata?.name ?? i + 1}`;
    const key = `${d.apiVersion}/${d.kind}`;
    const crd = crds[key];
    if (!crd) {
      problems.push(`${where}: ${key} is not a served, non-deprecated version of a vendored CRD (${Object.keys(crds).join(', ')})`);
      continue;
    }
    if (!compiled.has(key)) compiled.set(key, crdValidator(crd.openAPIV3Schema));
    const validate = compiled.get(key)!;
    if (!validate(d)) problems.push(...describeErrors(validate.errors, where));
    if (!K8S_NAME.test(d.metadata?.name ?? '')) problems.push(`${where}: metadata.name must be an RFC 1123 subdomain`);
  }
  const ns = (d: Obj) => d.metadata?.namespace ?? 'default';
  const backends = named('AIServiceBackend');
  const egBackends = named('Backend');
  const gateways = named('Gateway');
  const headerOwner = new Map<string, string>();
  for (const r of docs.filter((d) => d.kind === 'AIGatewayRoute')) {
    const where = `AIGatewayRoute ${r.metadata?.name}`;
    const rules: Obj[] = r.spec?.rules ?? [];
    // CEL (AIGatewayRoute CRD, spec.rules): rule names unique; "route-not-found" reserved.
    const names = rules.map((x) => x.name).filter(Boolean);
    if (new Set(names).size !== names.length) problems.push(`${where}: rule names must be unique`);
    if (names.includes('route-not-found')) problems.push(`${where}: rule name "route-not-found" is reserved`);
    for (const p of r.spec?.parentRefs ?? []) {
      if ((p.kind ?? 'Gateway') !== 'Gateway') problems.push(`${where}: parentRefs must be Gateways`);
      if (gateways.size && !gateways.has(`${p.namespace ?? ns(r)}/${p.name}`)) problems.push(`${where}: parent Gateway ${p.name} is not in the file`);
    }
    for (const [j, rule] of rules.entries()) {
      for (const b of rule.backendRefs ?? []) {
        // CEL: a backendRef with group/kind is an InferencePool; ours name AIServiceBackends.
        if (b.group || b.kind) problems.push(`${where}: rules.${j}: backendRef ${b.name} has group/kind (only InferencePool refs may)`);
        else if (!backends.has(`${b.namespace ?? ns(r)}/${b.name}`)) problems.push(`${where}: rules.${j}: AIServiceBackend ${b.name} is not in the file`);
      }
      for (const m of rule.matches ?? []) {
        for (const h of m.headers ?? []) {
          if (h.name !== 'x-ai-eg-model') continue;
          const owner = `${where} rules.${j}`;
          if (headerOwner.has(h.value)) problems.push(`${owner}: model "${h.value}" is also matched by ${headerOwner.get(h.value)}`);
          else headerOwner.set(h.value, owner);
        }
      }
    }
  }
  for (const b of backends.values()) {
    const ref = b.spec?.backendRef ?? {};
    // CEL (AIServiceBackend CRD, spec.backendRef).
    if (ref.kind !== 'Backend' || ref.group !== 'gateway.envoyproxy.io') problems.push(`AIServiceBackend ${b.metadata.name}: backendRef must be kind Backend, group gateway.envoyproxy.io`);
    else if (!egBackends.has(`${ref.namespace ?? ns(b)}/${ref.name}`)) problems.push(`AIServiceBackend ${b.metadata.name}: Backend ${ref.name} is not in the file`);
  }
  const one = ['apiKey', 'awsCredentials', 'azureAPIKey', 'azureCredentials', 'gcpCredentials', 'anthropicAPIKey'];
  const field: Record<string, string> = { APIKey: 'apiKey', AWSCredentials: 'awsCredentials', AzureAPIKey: 'azureAPIKey', AzureCredentials: 'azureCredentials', GCPCredentials: 'gcpCredentials', AnthropicAPIKey: 'anthropicAPIKey' };
  for (const p of docs.filter((d) => d.kind === 'BackendSecurityPolicy')) {
    const where = `BackendSecurityPolicy ${p.metadata?.name}`;
    // CEL (BackendSecurityPolicy CRD, spec): exactly the credential field of its type.
    const present = one.filter((f) => p.spec?.[f] !== undefined);
    if (present.length !== 1 || present[0] !== field[p.spec?.type]) problems.push(`${where}: type ${p.spec?.type} needs exactly spec.${field[p.spec?.type] ?? '?'} (has ${present.join(', ') || 'none'})`);
    for (const t of p.spec?.targetRefs ?? []) if (t.kind === 'AIServiceBackend' && !backends.has(`${ns(p)}/${t.name}`)) problems.push(`${where}: target AIServiceBackend ${t.name} is not in the file`);
  }
  for (const b of egBackends.values()) {
    // CEL (Backend CRD, spec.endpoints[]): one of fqdn, ip or unix.
    for (const e of b.spec?.endpoints ?? []) if (['fqdn', 'ip', 'unix'].filter((k) => e[k]).length !== 1) problems.push(`Backend ${b.metadata.name}: each endpoint needs exactly one of fqdn, ip, unix`);
  }
  for (const t of docs.filter((d) => d.kind === 'BackendTLSPolicy')) {
    for (const r of t.spec?.targetRefs ?? []) if (r.kind === 'Backend' && !egBackends.has(`${ns(t)}/${r.name}`)) problems.push(`BackendTLSPolicy ${t.metadata?.name}: target Backend ${r.name} is not in the file`);
  }
  const classNames = new Set([...named('GatewayClass').values()].map((c) => c.metadata.name));
  for (const g of gateways.values()) {
    if (classNames.size && !classNames.has(g.spec?.gatewayClassName)) problems.push(`Gateway ${g.metadata.name}: GatewayClass ${g.spec?.gatewayClassName} is not in the file`);
  }
  return problems;
}

function checkLiteLlm(doc: Obj): string[] {
  const validate = litellm();
  const problems = validate(doc) ? [] : describeErrors(validate.errors, 'config');
  const groups = new Set<string>((doc?.model_list ?? []).map((m: Obj) => m.model_name));
  const ids = (doc?.model_list ?? []).map((m: Obj) => m.model_info?.id).filter((x: unknown) => x != null);
  if (new Set(ids).size !== ids.length) problems.push('model_list: model_info.id values must be unique (LiteLLM keys deployments by them)');
  for (const f of doc?.router_settings?.fallbacks ?? []) {
    for (const [from, to] of Object.entries(f as Record<string, string[]>)) for (const t of [from, ...to]) if (!groups.has(t)) problems.push(`router_settings.fallbacks: "${t}" is not a model_name of model_list`);
  }
  for (const [alias, target] of Object.entries((doc?.router_settings?.model_group_alias ?? {}) as Record<string, unknown>)) if (typeof target === 'string' && !groups.has(target)) problems.push(`router_settings.model_group_alias.${alias}: "${target}" is not a model_name`);
  return problems;
}

// Signal families and their condition types (semantic-router src/vllm-sr/cli/config_contract.py).
const SIGNAL_FAMILIES: Record<string, string> = { keyword: 'keywords', embedding: 'embeddings', domain: 'domains', fact_check: 'fact_check', user_feedback: 'user_feedbacks', reask: 'reasks', preference: 'preferences', language: 'language', context: 'context', structure: 'structure', complexity: 'complexity', modality: 'modality', authz: 'role_bindings', jailbreak: 'jailbreak', pii: 'pii', kb: 'kb', conversation: 'conversation', event: 'events', metadata: 'metadata', classifier: 'classifiers' };

function checkVllmSr(doc: Obj): string[] {
  const validate = vllmSr();
  const problems = validate(doc) ? [] : describeErrors(validate.errors, 'config');
  if (problems.length) return problems;
  // validate_model_references (src/vllm-sr/cli/validator.py) and validateCanonicalContract (pkg/config/canonical_config.go).
  const providerModels: Obj[] = doc.providers?.models ?? [];
  const providerNames = new Set(providerModels.map((m) => m.name));
  const cards: Obj[] = doc.routing?.modelCards ?? [];
  const cardNames = new Set(cards.map((c) => c.name));
  if (cardNames.size !== cards.length) problems.push('routing.modelCards: duplicate model name');
  for (const m of providerModels) {
    if (!cardNames.has(m.name)) problems.push(`providers.models.${m.name}: provider model is missing from routing.modelCards`);
    for (const b of m.backend_refs ?? []) if (!String(b.endpoint ?? '').trim() && !String(b.base_url ?? '').trim()) problems.push(`providers.models.${m.name}.backend_refs: requires endpoint or base_url`);
  }
  const def = doc.providers?.defaults?.default_model;
  if (!providerNames.has(def)) problems.push(`providers.defaults.default_model: "${def}" not found in models`);
  else if (!cardNames.has(def)) problems.push(`providers.defaults.default_model: "${def}" not found in routing.modelCards`);
  const signals: Obj = doc.routing?.signals ?? {};
  for (const [family, list] of Object.entries(signals)) {
    const names = (list as Obj[] | null ?? []).map((s) => s.name);
    if (new Set(names).size !== names.length) problems.push(`routing.signals.${family}: duplicate signal name`);
  }
  const decisions: Obj[] = doc.routing?.decisions ?? [];
  const decisionNames = decisions.map((d) => d.name);
  if (new Set(decisionNames).size !== decisionNames.length) problems.push('routing.decisions: duplicate decision name');
  const leaves = (c: Obj): Obj[] => (c.conditions ? c.conditions.flatMap(leaves) : c.type ? [c] : []);
  for (const d of decisions) {
    for (const r of d.modelRefs ?? []) {
      if (!providerNames.has(r.model)) problems.push(`decisions.${d.name}.modelRefs: unknown model "${r.model}"`);
      else if (!cardNames.has(r.model)) problems.push(`decisions.${d.name}.modelRefs: model "${r.model}" has no routing.modelCards entry`);
    }
    for (const c of leaves(d.rules ?? {})) {
      const family = SIGNAL_FAMILIES[String(c.type).trim().toLowerCase()];
      if (!family) problems.push(`decisions.${d.name}.rules: unsupported signal type "${c.type}"`);
      // Domains may be declared implicitly (validate_domain_references generates them).
      else if (family !== 'domains' && !(signals[family] ?? []).some((s: Obj) => s.name === c.name)) problems.push(`decisions.${d.name}.rules: unknown ${c.type} signal "${c.name}"`);
    }
  }
  return problems;
}
