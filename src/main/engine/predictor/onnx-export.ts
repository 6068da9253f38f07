import * as ort from 'onnxruntime-node';
import { densify, type FeatureMatrix } from '../features/types';
import { MlpHead } from './mlp';
import { ElemType, floatTensor, modelBytes, node, valueInfo } from './onnx-graph';

/**
 * The trained head with its temperatures as an ONNX model:
 *   features [n, dim] -> MatMul W1 + b1 -> Relu -> MatMul W2 + b2 -> / T -> Sigmoid -> probabilities [n, K]
 * (temperature-scaled probabilities; the bucket step is a per-model piecewise map kept in the
 * predictor spec). Input "features" is the dense featuriser output.
 */
export function exportHeadOnnx(head: MlpHead, temperatures: ArrayLike<number>): Uint8Array {
  const H = head.settings.hidden;
  const K = head.models;
  const D = head.dim;
  const nodes = [
    node('MatMul', ['features', 'W1'], ['a1']),
    node('Add', ['a1', 'b1'], ['z1']),
    node('Relu', ['z1'], ['h']),
    node('MatMul', ['h', 'W2'], ['a2']),
    node('Add', ['a2', 'b2'], ['logits']),
    node('Div', ['logits', 'T'], ['scaled']),
    node('Sigmoid', ['scaled'], ['probabilities']),
  ];
  const initializers = [
    floatTensor('W1', [D, H], head.w1),
    floatTensor('b1', [H], head.b1),
    floatTensor('W2', [H, K], head.w2),
    floatTensor('b2', [K], head.b2),
    floatTensor('T', [K], Float32Array.from(temperatures)),
  ];
  return modelBytes(
    { name: 'routeplan-head', nodes, initializers, inputs: [valueInfo('features', ElemType.FLOAT, ['n', D])], outputs: [valueInfo('probabilities', ElemType.FLOAT, ['n', K]), valueInfo('logits', ElemType.FLOAT, ['n', K])] },
    'routeplan multi-label head with per-model temperatures',
  );
}

/** Batch inference of an exported head through onnxruntime-node. */
export async function runOnnxHead(bytes: Uint8Array, x: FeatureMatrix, batchSize = 1024): Promise<{ probabilities: Float32Array; logits: Float32Array }> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
  const parts: { p: Float32Array; z: Float32Array }[] = [];
  for (let s0 = 0; s0 < x.rows; s0 += batchSize) {
    const end = Math.min(x.rows, s0 + batchSize);
    const out = await session.run({ features: new ort.Tensor('float32', densify(x, s0, end), [end - s0, x.dim]) });
    parts.push({ p: out.probabilities.data as Float32Array, z: out.logits.data as Float32Array });
  }
  await session.release();
  const concat = (arrs: Float32Array[]) => {
    const out = new Float32Array(arrs.reduce((s, a) => s + a.length, 0));
    let at = 0;
    for (const a of arrs) (out.set(a, at), (at += a.length));
    return out;
  };
  return { probabilities: concat(parts.map((q) => q.p)), logits: concat(parts.map((q) => q.z)) };
}
