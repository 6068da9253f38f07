import { EngineError } from '../../../shared/errors';
import { sha256Hex } from './canonical';
import type { Policy } from './format';
import { readReferencedFile } from './policy-files';

/**
 * The policy's ONNX scorer as bytes, checked against the sha256 the (already verified) policy
 * records: embedded base64, or a file inside the policy's folder (policy-files.ts confines it).
 * Null when the policy has none.
 */
export function onnxHeadBytes(policy: Policy, policyFile: string): Uint8Array | null {
  const o = policy.predictor.onnx;
  if (!o) return null;
  let bytes: Uint8Array;
  let actual: string;
  if (o.encoding === 'base64') {
    bytes = Buffer.from(o.data, 'base64');
    actual = sha256Hex(bytes);
  } else {
    const read = readReferencedFile(policyFile, o.path, 'ONNX scorer');
    bytes = read.bytes;
    actual = read.sha256;
  }
  if (actual !== o.sha256) throw new EngineError('FILE_FORMAT', `ONNX scorer sha256 mismatch: the policy says ${o.sha256}, the file hashes to ${actual}`, { reason: 'onnx-hash-mismatch', expected: o.sha256, actual });
  return bytes;
}
