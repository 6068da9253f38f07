import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { EngineError } from '../../../../shared/errors';
import type { ModelArch } from '../types';
import { archParams } from './params';

// Reads a Hugging Face config.json into a ModelArch. Families spell the same facts differently:
// llama/mistral/qwen2/mixtral/gemma2/internlm use the transformers names, first-release Qwen
// doubles intermediate_size, Falcon counts KV heads three ways, MPT says d_model / n_heads /
// expansion_ratio. A needed fact that is absent under every spelling is an error naming it.

type Json = Record<string, unknown>;

function num(cfg: Json, keys: string[]): number | undefined {
  for (const k of keys) {
    const path = k.split('.');
    let v: unknown = cfg;
    for (const p of path) v = v && typeof v === 'object' ? (v as Json)[p] : undefined;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  }
  return undefined;
}

function need(cfg: Json, keys: string[], file: string): number {
  const v = num(cfg, keys);
  if (v === undefined) {
    throw new EngineError('FILE_FORMAT', `${file}: config.json has no "${keys[0]}"${keys.length > 1 ? ` (nor ${keys.slice(1).map((k) => `"${k}"`).join(', ')})` : ''}, which the performance model needs`, { file, field: keys[0] });
  }
  return v;
}

const plainMlp = new Set(['falcon', 'RefinedWeb', 'RefinedWebModel', 'mpt', 'bloom']);
const tiedByDefault = new Set(['falcon', 'RefinedWeb', 'RefinedWebModel', 'mpt', 'gemma', 'gemma2', 'bloom']);

/** A ModelArch from a parsed config.json; `file` names it in errors and in `source`. */
export function archFromConfig(cfg: Json, file: string, name?: string): ModelArch {
  const type = String(cfg.model_type ?? '');
  const layers = need(cfg, ['num_hidden_layers', 'n_layer', 'n_layers', 'num_layers'], file);
  const hiddenSize = need(cfg, ['hidden_size', 'd_model', 'n_embd'], file);
  const heads = need(cfg, ['num_attention_heads', 'n_head', 'n_heads'], file);
  let kvHeads = num(cfg, ['num_key_value_heads', 'attn_config.kv_n_heads', 'n_head_kv']);
  if (kvHeads === undefined && (type === 'falcon' || type.startsWith('RefinedWeb'))) {
    kvHeads = cfg.new_decoder_architecture ? num(cfg, ['num_kv_heads']) : cfg.multi_query ? 1 : undefined;
  }
  if (kvHeads === undefined && cfg.multi_query === true) kvHeads = 1;
  kvHeads ??= heads; // no grouped-query attention declared: one KV head per query head
  const headDim = num(cfg, ['head_dim', 'kv_channels']) ?? hiddenSize / heads;
  let intermediateSize = num(cfg, ['intermediate_size', 'ffn_hidden_size', 'ffn_dim', 'n_inner']);
  if (intermediateSize !== undefined && type === 'qwen') intermediateSize /= 2; // QWen's w1, w2 each take half
  if (intermediateSize === undefined && type === 'mpt') intermediateSize = (num(cfg, ['expansion_ratio']) ?? 4) * hiddenSize;
  if (intermediateSize === undefined && (type === 'falcon' || type.startsWith('RefinedWeb'))) intermediateSize = 4 * hiddenSize;
  if (intermediateSize === undefined) need(cfg, ['intermediate_size', 'ffn_hidden_size', 'ffn_dim'], file);
  const vocabSize = need(cfg, ['vocab_size', 'padded_vocab_size'], file);
  const experts = num(cfg, ['num_local_experts', 'num_experts', 'n_routed_experts']);
  const expertsPerToken = experts ? need(cfg, ['num_experts_per_tok', 'moe_top_k', 'num_experts_per_token'], file) : undefined;
  const maxContext = num(cfg, ['max_position_embeddings', 'max_seq_len', 'seq_length', 'n_positions', 'max_sequence_length']);
  const tied = typeof cfg.tie_word_embeddings === 'boolean' ? cfg.tie_word_embeddings : tiedByDefault.has(type);
  const arch: ModelArch = {
    name: name ?? (basename(dirname(file)) || basename(file)),
    layers, hiddenSize, heads, kvHeads, headDim,
    intermediateSize: intermediateSize as number,
    vocabSize,
    paramsB: 0,
    activeParamsB: 0,
    ...(experts ? { experts, expertsPerToken } : {}),
    ...(maxContext ? { maxContext } : {}),
    mlpMatrices: plainMlp.has(type) ? 2 : 3,
    tiedEmbeddings: tied,
    source: file,
  };
  const p = archParams(arch);
  return { ...arch, paramsB: round2(p.totalB), activeParamsB: round2(p.activeB) };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Loads a config.json from disk. */
export function loadHfConfig(file: string, name?: string): ModelArch {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  let cfg: unknown;
  try {
    cfg = JSON.parse(text);
  } catch (err) {
    throw new EngineError('FILE_FORMAT', `${file}: not valid JSON (${(err as Error).message})`, { file });
  }
  if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) throw new EngineError('FILE_FORMAT', `${file}: a config.json is one JSON object`, { file });
  // Multimodal wrappers keep the language model under text_config.
  const c = cfg as Json;
  const inner = c.text_config && typeof c.text_config === 'object' && num(c, ['num_hidden_layers']) === undefined ? (c.text_config as Json) : c;
  return archFromConfig(inner, file, name);
}
