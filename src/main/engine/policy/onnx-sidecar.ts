import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EngineError } from '../../../shared/errors';
import { sha256Hex } from './canonical';
import type { Policy } from './format';

/**
 * The policy's ONNX scorer as bytes, checked against the sha256 the (already verified) policy
 * records: embedded base64, or a file alongside the policy. Null when the policy has none.
 */
export function onnxHeadBytes(policy: Policy, policyFile: string): Uint8Array | null {
  const o = policy.predictor.onnx;
  if (!o) return null;
  let bytes: Uint8Array;
  if (o.encoding === 'base64') bytes = Buffer.from(o.data, 'base64');
  else {
    const path = resolve(dirname(policyFile), o.path);
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw new EngineError('NOT_FOUND', `the policy's ONNX scorer ${path} cannot be read: ${(err as Error).message}`, { file: path });
    }
  }
  const actual = sha256Hex(bytes);
  if (actual !== o.sha256) throw new EngineError('FILE_FORMAT', `ONNX scorer sha256 mismatch: the policy says ${o.sha256}, the file hashes to ${actual}`, { reason: 'onnx-hash-mismatch', expected: o.sha256, actual });
  return bytes;
}
