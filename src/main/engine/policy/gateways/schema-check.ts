import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * JSON Schema validation against the vendored schemas of the real loaders (schemas/vendor).
 * Loaders that ignore unknown keys (pydantic's default) or prune them (Kubernetes structural
 * schemas, which `kubectl apply` refuses under its default strict field validation) would let a
 * misspelt key vanish in silence: `strictObjects` closes every object schema that lists its
 * properties and neither allows extra keys nor preserves unknown fields, so such a key is an error.
 */
export function strictObjects<T>(schema: T): T {
  const walk = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(walk);
    if (!s || typeof s !== 'object') return s;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) out[k] = k === 'properties' || k === '$defs' || k === 'definitions' ? Object.fromEntries(Object.entries(v as object).map(([n, x]) => [n, walk(x)])) : walk(v);
    if (out.properties && !('additionalProperties' in out) && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
    return out;
  };
  return walk(schema) as T;
}

const K8S_KEYWORDS = ['x-kubernetes-validations', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-embedded-resource'];

let openApi: Ajv | null = null;
let draft2020: Ajv2020 | null = null;

/** A validator for a Kubernetes CRD's openAPIV3Schema (CEL rules are ported separately). */
export function crdValidator(openAPIV3Schema: object): ValidateFunction {
  openApi ??= new Ajv({ strict: false, allErrors: true, validateFormats: false, keywords: K8S_KEYWORDS });
  return openApi.compile(strictObjects(openAPIV3Schema));
}

/** A validator for a JSON Schema 2020-12 document (pydantic's output, our LiteLLM port). */
export function jsonSchemaValidator(schema: object): ValidateFunction {
  draft2020 ??= new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const { $id: _id, ...rest } = schema as Record<string, unknown>;
  return draft2020.compile(strictObjects(rest));
}

/** ajv's errors as "where: what" lines, the where a dotted path from the document's root. */
export function describeErrors(errors: ErrorObject[] | null | undefined, where: string): string[] {
  if (!errors?.length) return [];
  // anyOf reports every branch; keep the deepest messages, which name the real field.
  const leaves = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const seen = new Set<string>();
  return (leaves.length ? leaves : errors).flatMap((e) => {
    const path = e.instancePath.split('/').slice(1).join('.');
    const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"` : '';
    const line = `${where}${path ? `.${path}` : ''}: ${e.message}${extra}`;
    if (seen.has(line)) return [];
    seen.add(line);
    return [line];
  });
}
