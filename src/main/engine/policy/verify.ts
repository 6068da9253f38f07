import { EngineError } from '../../../shared/errors';
import { policyHash } from './canonical';
import { Policy, POLICY_FORMAT, POLICY_VERSION, policyShapeProblems, type UnsignedPolicy } from './format';

const refuse = (file: string, reason: string, message: string, extra: Record<string, unknown> = {}) =>
  new EngineError('FILE_FORMAT', `${file}: ${message}`, { file, reason, ...extra });

/**
 * Reads a policy file and refuses anything it cannot verify: not JSON, another format, an unknown
 * version, a content hash that does not match (checked on the raw object, so an added field counts
 * as tampering too), a schema violation, or per-model arrays of the wrong length. Only a policy that
 * passes every check is returned; the router never sees the others.
 */
export function readPolicy(text: string, file = 'policy'): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw refuse(file, 'not-json', `not a JSON policy file (${(err as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw refuse(file, 'not-object', 'a policy must be a JSON object');
  const obj = raw as Record<string, unknown>;
  if (obj.format !== POLICY_FORMAT) throw refuse(file, 'format', `not a routeplan policy (format is ${JSON.stringify(obj.format)}, expected "${POLICY_FORMAT}")`);
  if (obj.version !== POLICY_VERSION) {
    throw refuse(file, 'version', `unknown policy version ${JSON.stringify(obj.version)}; this router reads version ${POLICY_VERSION}`, { version: obj.version });
  }
  if (typeof obj.contentHash !== 'string') throw refuse(file, 'hash-missing', 'the policy has no contentHash; refusing to route on an unverified policy');
  let actual: string;
  try {
    actual = policyHash(obj);
  } catch (err) {
    throw refuse(file, 'not-canonical', (err as Error).message);
  }
  if (actual !== obj.contentHash) {
    throw refuse(file, 'hash-mismatch', `content hash mismatch: the file says ${obj.contentHash} but its content hashes to ${actual}; it was modified after export`, { expected: obj.contentHash, actual });
  }
  const parsed = Policy.safeParse(obj);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw refuse(file, 'schema', `invalid policy: ${issues.slice(0, 5).join('; ')}`, { issues });
  }
  const problems = policyShapeProblems(parsed.data);
  if (problems.length) throw refuse(file, 'shape', `invalid policy: ${problems.join('; ')}`, { issues: problems });
  return parsed.data;
}

/** Seals a policy: validates it and adds its content hash. */
export function signPolicy(p: UnsignedPolicy): Policy {
  const problems = policyShapeProblems(p);
  if (problems.length) throw new EngineError('INVALID_INPUT', `cannot export policy: ${problems.join('; ')}`, { issues: problems });
  // Round-trip through JSON so that the hash covers exactly what will be written.
  const plain = JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
  const signed = { ...plain, contentHash: policyHash(plain) };
  return Policy.parse(signed);
}

export function policyText(p: Policy): string {
  return JSON.stringify(p, null, 1) + '\n';
}
