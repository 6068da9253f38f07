import type { KeyObject } from 'node:crypto';
import { EngineError } from '../../../shared/errors';
import { policyHash } from './canonical';
import { checkSignature, signatureFor, type PolicyTrust } from './signing';
import { Policy, POLICY_FORMAT, POLICY_VERSION, policyShapeProblems, type UnsignedPolicy } from './format';

const refuse = (file: string, reason: string, message: string, extra: Record<string, unknown> = {}) =>
  new EngineError('FILE_FORMAT', `${file}: ${message}`, { file, reason, ...extra });

/**
 * Reads a policy file and refuses anything that is not intact: not JSON, another format, an unknown
 * version, a content hash that does not match (checked on the raw object, so an added field counts
 * as tampering too), a schema violation, or per-model arrays of the wrong length. The hash proves
 * integrity only (anyone can recompute it): a policy from outside the workspace goes through
 * readTrustedPolicy, which also checks who signed it.
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

/**
 * A policy from a file, intact and signed by a trusted key (signing.ts); with trust.allowUnsigned
 * an unsigned or untrusted one passes with a warning for the caller to print.
 */
export function readTrustedPolicy(text: string, file: string, trust: PolicyTrust): { policy: Policy; warning: string | null } {
  const policy = readPolicy(text, file);
  return { policy, warning: checkSignature(policy, trust, file) };
}

/** Signs a sealed policy with an Ed25519 key (export-policy: the workspace's key). */
export function signPolicy(p: Policy, key: KeyObject): Policy {
  return { ...p, signature: signatureFor(p.contentHash, key) };
}

/** Seals a policy: validates it and adds its content hash (integrity, not origin: see sealPolicy). */
export function sealPolicy(p: UnsignedPolicy, onStep: (step: string) => void = () => {}): Policy {
  const problems = policyShapeProblems(p);
  if (problems.length) throw new EngineError('INVALID_INPUT', `cannot export policy: ${problems.join('; ')}`, { issues: problems });
  // Round-trip through JSON so that the hash covers exactly what will be written.
  const { signature: _old, ...plain } = JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
  onStep('hashing the policy');
  const contentHash = policyHash(plain, (bytes) => onStep(`hashing the policy: ${Math.round(bytes / 1e6)} MB`));
  onStep('validating the policy');
  return Policy.parse({ ...plain, contentHash });
}

export function policyText(p: Policy): string {
  return JSON.stringify(p, null, 1) + '\n';
}
