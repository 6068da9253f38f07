import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSignature, signatureFor } from '../../../../src/main/engine/policy/signing';

// What route / verify-policy say about a policy's signature: never "signed by" a key nobody checked.
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const contentHash = 'ab'.repeat(32);
const signed = { contentHash, signature: signatureFor(contentHash, privateKey) };
const forged = { contentHash, signature: { ...signed.signature, value: Buffer.alloc(64, 7).toString('base64') } };

describe('checkSignature', () => {
  it('verifies against a trusted key: no warning', () => {
    expect(checkSignature(signed, { keys: [publicKey] }, 'p.json')).toBeNull();
  });

  it('with --allow-unsigned and no trusted key, a signature that cannot be checked (valid or forged) is said not to verify, never "signed by"', () => {
    for (const policy of [signed, forged]) {
      const warning = checkSignature(policy, { keys: [], allowUnsigned: true }, 'p.json')!;
      expect(warning).toMatch(/signature .*does not verify/);
      expect(warning).toContain(policy.signature.keyId);
      expect(warning).not.toMatch(/signed by/);
      expect(warning).toMatch(/routing anyway because of --allow-unsigned/);
    }
  });

  it('without --allow-unsigned the same policy is refused with the same words', () => {
    expect(() => checkSignature(forged, { keys: [] }, 'p.json')).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED', message: expect.not.stringMatching(/signed by/) }));
    expect(() => checkSignature(forged, { keys: [] }, 'p.json')).toThrow(/does not verify/);
  });
});
