import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { WordPieceTokenizer } from './wordpiece';
import type { DenseFeatures, Featurizer, FeaturizerSpecJson } from './types';

export interface OnnxEncoderSpec extends FeaturizerSpecJson {
  kind: 'onnx-encoder';
  version: 1;
  dir: string;
  modelSha256: string;
  dim: number;
  maxLength: number;
  pooling: 'mean';
  batchSize: number;
}

/**
 * A user-supplied sentence encoder: `model.onnx` (inputs input_ids, attention_mask and optionally
 * token_type_ids, int64 [batch, seq]; first output [batch, seq, dim] or already pooled
 * [batch, dim]) with its WordPiece tokenizer. Token states are mean-pooled over the attention
 * mask. Batches are padded to their longest sequence.
 */
export class OnnxEncoderFeaturizer implements Featurizer {
  readonly key: string;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: WordPieceTokenizer,
    private readonly settings: OnnxEncoderSpec,
  ) {
    this.key = `onnx-v1:${settings.modelSha256.slice(0, 16)}:${settings.maxLength}:${settings.pooling}`;
  }

  get dim(): number {
    return this.settings.dim;
  }

  static async open(dir: string, opts: { maxLength?: number; batchSize?: number } = {}): Promise<OnnxEncoderFeaturizer> {
    const path = join(resolve(dir), 'model.onnx');
    if (!existsSync(path)) throw new Error(`${dir} has no model.onnx`);
    const bytes = readFileSync(path);
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2 });
    const tokenizer = WordPieceTokenizer.fromFolder(dir, opts.maxLength ?? 128);
    const spec: OnnxEncoderSpec = {
      kind: 'onnx-encoder',
      version: 1,
      dir: resolve(dir),
      modelSha256: createHash('sha256').update(bytes).digest('hex'),
      dim: 0,
      maxLength: tokenizer.opts.maxLength,
      pooling: 'mean',
      batchSize: opts.batchSize ?? 32,
    };
    const f = new OnnxEncoderFeaturizer(session, tokenizer, spec);
    spec.dim = (await f.transform(['probe'])).dim;
    return f;
  }

  static async fromSpec(json: FeaturizerSpecJson): Promise<OnnxEncoderFeaturizer> {
    const s = json as OnnxEncoderSpec;
    if (s.kind !== 'onnx-encoder' || s.version !== 1) throw new Error(`cannot load featuriser ${s.kind} v${s.version}`);
    const f = await OnnxEncoderFeaturizer.open(s.dir, { maxLength: s.maxLength, batchSize: s.batchSize });
    if (f.settings.modelSha256 !== s.modelSha256) throw new Error(`${s.dir}/model.onnx changed since the predictor was trained`);
    return f;
  }

  spec(): OnnxEncoderSpec {
    return { ...this.settings };
  }

  async transform(texts: string[]): Promise<DenseFeatures> {
    const chunks: Float32Array[] = [];
    let dim = this.settings.dim;
    for (let s0 = 0; s0 < texts.length; s0 += this.settings.batchSize) {
      const batch = texts.slice(s0, s0 + this.settings.batchSize).map((t) => this.tokenizer.encode(t));
      const { pooled, dim: d } = await this.encodeBatch(batch);
      dim = d;
      chunks.push(pooled);
    }
    const data = new Float32Array(texts.length * dim);
    let at = 0;
    for (const c of chunks) (data.set(c, at), (at += c.length));
    return { kind: 'dense', rows: texts.length, dim, data };
  }

  private async encodeBatch(batch: number[][]): Promise<{ pooled: Float32Array; dim: number }> {
    const B = batch.length;
    const L = Math.max(...batch.map((b) => b.length));
    const ids = new BigInt64Array(B * L).fill(BigInt(this.tokenizer.padId));
    const mask = new BigInt64Array(B * L);
    batch.forEach((seq, b) =>
      seq.forEach((id, t) => {
        ids[b * L + t] = BigInt(id);
        mask[b * L + t] = 1n;
      }),
    );
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      if (name === 'input_ids') feeds[name] = new ort.Tensor('int64', ids, [B, L]);
      else if (name === 'attention_mask') feeds[name] = new ort.Tensor('int64', mask, [B, L]);
      else if (name === 'token_type_ids') feeds[name] = new ort.Tensor('int64', new BigInt64Array(B * L), [B, L]);
      else throw new Error(`encoder input ${name} is not one of input_ids, attention_mask, token_type_ids`);
    }
    const out = (await this.session.run(feeds))[this.session.outputNames[0]];
    const data = out.data as Float32Array;
    if (out.dims.length === 2) return { pooled: Float32Array.from(data), dim: Number(out.dims[1]) };
    const D = Number(out.dims[2]);
    const pooled = new Float32Array(B * D);
    for (let b = 0; b < B; b++) {
      const len = batch[b].length;
      for (let t = 0; t < len; t++) for (let d = 0; d < D; d++) pooled[b * D + d] += data[(b * L + t) * D + d] / len;
    }
    return { pooled, dim: D };
  }
}
