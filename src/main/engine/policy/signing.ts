import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { EngineError } from '../../../shared/errors';
import type { Policy, PolicySignature } from './format';

/**
 * Ed25519 signatures over a policy's content hash. The hash (canonical.ts) covers every field but
 * `contentHash` and `signature`, so the signature covers the whole policy; the message carries the
 * format name so a signature made for anything else can never verify as a policy's.
 *
 * The workspace's private key lives beside the workspace file (`<workspace>.signing-key.pem`,
 * PKCS#8, mode 0600), never in the SQLite file (which is shared, copied and attached to bug
 * reports) and never in an exported policy, which carries only the key id and the signature.
 */
export const SIGNING_KEY_SUFFIX = '.signing-key.pem';

export const signingKeyPath = (workspacePath: string): string | null => (workspacePath === ':memory:' ? null : workspacePath + SIGNING_KEY_SUFFIX);

const message = (contentHash: string) => Buffer.from(`routeplan.policy.v1\n${contentHash}`, 'utf8');

/** A key's id: the first 32 hex digits of the sha256 of its public key (SPKI DER). */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}

export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }) as string;
}

// In-memory workspaces (tests) sign with one key per process.
let ephemeral: KeyObject | null = null;

/** The workspace's private key, created on first use. Two processes racing both read the winner's. */
export function workspaceSigningKey(workspacePath: string): KeyObject {
  const file = signingKeyPath(workspacePath);
  if (!file) return (ephemeral ??= generateKeyPairSync('ed25519').privateKey);
  const existing = readPrivateKey(file, { missingOk: true });
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync('ed25519');
  writeKeyFileOnce(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  return readPrivateKey(file)!;
}

/** The workspace's public key when it has one; never creates a key (read-only commands use this). */
export function workspacePublicKey(workspacePath: string): KeyObject | null {
  const file = signingKeyPath(workspacePath);
  if (!file) return ephemeral ? createPublicKey(ephemeral) : null;
  const priv = readPrivateKey(file, { missingOk: true });
  return priv ? createPublicKey(priv) : null;
}

/** `routeplan keys --import`: makes another Ed25519 private key the workspace's signing key. */
export function importSigningKey(workspacePath: string, pemText: string, source: string): KeyObject {
  const file = signingKeyPath(workspacePath);
  if (!file) throw new EngineError('INVALID_INPUT', 'an in-memory workspace has no key file');
  const key = parsePrivateKey(pemText, source);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, key.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  try {
    // rename replaces the old key in one step
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return key;
}

export function signatureFor(contentHash: string, key: KeyObject): PolicySignature {
  return { alg: 'ed25519', keyId: keyId(key), value: sign(null, message(contentHash), key).toString('base64') };
}

/** Public keys from PEM text: one or more `-----BEGIN PUBLIC KEY-----` blocks (a trusted-keys file). */
export function parsePublicKeys(text: string, source: string): KeyObject[] {
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  if (!blocks.length) throw new EngineError('FILE_FORMAT', `${source}: no PEM public key (-----BEGIN PUBLIC KEY-----) in the file`, { file: source, reason: 'no-public-key' });
  return blocks.map((b, i) => {
    let key: KeyObject;
    try {
      key = createPublicKey(b);
    } catch (err) {
      throw new EngineError('FILE_FORMAT', `${source}: public key ${i + 1} cannot be read: ${(err as Error).message}`, { file: source, reason: 'bad-public-key' });
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new EngineError('FILE_FORMAT', `${source}: public key ${i + 1} is ${key.asymmetricKeyType}, not ed25519`, { file: source, reason: 'not-ed25519' });
    return key;
  });
}

export interface PolicyTrust {
  /** Public keys whose signatures are accepted. */
  keys: KeyObject[];
  /** Development escape: accept an unsigned or untrusted policy (the caller warns on stderr). */
  allowUnsigned?: boolean;
}

/**
 * Refuses a policy unless a trusted key signed its content hash. Returns a warning when
 * allowUnsigned let an unsigned or untrusted policy through, null when the signature verified.
 */
export function checkSignature(policy: Pick<Policy, 'contentHash' | 'signature'>, trust: PolicyTrust, file: string): string | null {
  const refuse = (reason: string, text: string) => new EngineError('UNAUTHORIZED', `${file}: ${text}`, { file, reason });
  const sig = policy.signature;
  const fallback = (reason: string, text: string): string => {
    if (trust.allowUnsigned) return `${file}: ${text}; routing anyway because of --allow-unsigned`;
    throw refuse(reason, `${text}; refusing it (trust its signer with --trusted-key FILE or ROUTEPLAN_TRUSTED_KEYS, or pass --allow-unsigned for development)`);
  };
  if (!sig) return fallback('unsigned', 'the policy is not signed');
  const key = trust.keys.find((k) => keyId(k) === sig.keyId);
  // Without the key nothing is verified: the key id is only what the file claims.
  if (!key) return fallback('untrusted-key', `the policy's signature does not verify: it names key ${sig.keyId}, which is not among the ${trust.keys.length} trusted key(s), so neither its signer nor its integrity is established`);
  // A wrong signature from a trusted key id is tampering, never waved through.
  if (!verify(null, message(policy.contentHash), key, Buffer.from(sig.value, 'base64'))) throw refuse('bad-signature', `the signature does not match the policy's content (key ${sig.keyId}): it was modified after signing`);
  return null;
}

function parsePrivateKey(text: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch (err) {
    throw new EngineError('FILE_FORMAT', `${source}: not a PEM private key: ${(err as Error).message}`, { file: source, reason: 'bad-private-key' });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new EngineError('FILE_FORMAT', `${source}: the key is ${key.asymmetricKeyType}, not ed25519`, { file: source, reason: 'not-ed25519' });
  return key;
}

function readPrivateKey(file: string, opts: { missingOk?: boolean } = {}): KeyObject | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (opts.missingOk && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new EngineError('NOT_FOUND', `cannot read the workspace signing key ${file}: ${(err as Error).message}`, { file });
  }
  return parsePrivateKey(text, file);
}

/** Writes the key under a temporary name and links it into place: no reader sees half a key, and of two racing creators exactly one wins. */
function writeKeyFileOnce(file: string, pem: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, pem, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new EngineError('INVALID_INPUT', `cannot create the workspace signing key ${file}: ${(err as Error).message}`, { file, reason: 'key-not-writable' });
  } finally {
    rmSync(tmp, { force: true });
  }
}
