import type { ModelArch } from '../types';

// Architecture facts of common open models, each from its public config.json on Hugging Face
// (`source` is the repository path: https://huggingface.co/<source>). Field names map to the
// config keys the loader in hf-config.ts reads. Two quirks kept from the configs:
// - first-release Qwen (model_type "qwen") writes intermediate_size as twice the MLP width
//   (its w1/w2 are each half); the width stored here is the real one (config value / 2);
// - Falcon and MPT use a plain two-matrix GELU MLP (mlpMatrices 2), the others a gated one (3).
// paramsB is the published parameter count (model card / safetensors total); a test holds each
// within 3% of the count implied by the architecture (params.ts).

type Entry = Omit<ModelArch, 'activeParamsB' | 'source'> & { activeParamsB?: number; repo: string; aliases?: string[] };

const llama = (e: Omit<Entry, 'heads' | 'headDim'> & { heads?: number; headDim?: number }): Entry => ({ heads: 32, headDim: 128, ...e });

const entries: Entry[] = [
  // Llama 2 (config.json: LlamaForCausalLM)
  llama({ name: 'Llama-2-7b', repo: 'meta-llama/Llama-2-7b-hf/blob/main/config.json', aliases: ['Llama-2-7b-hf', 'llama2-7b', 'Llama-2-7B'], layers: 32, hiddenSize: 4096, kvHeads: 32, intermediateSize: 11008, vocabSize: 32000, paramsB: 6.74, maxContext: 4096 }),
  llama({ name: 'Llama-2-13b', repo: 'meta-llama/Llama-2-13b-hf/blob/main/config.json', aliases: ['Llama-2-13b-hf', 'llama2-13b', 'Llama-2-13B'], layers: 40, hiddenSize: 5120, heads: 40, kvHeads: 40, intermediateSize: 13824, vocabSize: 32000, paramsB: 13.02, maxContext: 4096 }),
  llama({ name: 'Llama-2-70b', repo: 'meta-llama/Llama-2-70b-hf/blob/main/config.json', aliases: ['Llama-2-70b-hf', 'llama2-70b', 'Llama-2-70B'], layers: 80, hiddenSize: 8192, heads: 64, kvHeads: 8, intermediateSize: 28672, vocabSize: 32000, paramsB: 68.98, maxContext: 4096 }),
  // Llama 3 / 3.1 / 3.3 / 3.2
  llama({ name: 'Meta-Llama-3-8B', repo: 'meta-llama/Meta-Llama-3-8B/blob/main/config.json', aliases: ['Llama-3-8B', 'llama3-8b'], layers: 32, hiddenSize: 4096, kvHeads: 8, intermediateSize: 14336, vocabSize: 128256, paramsB: 8.03, maxContext: 8192 }),
  llama({ name: 'Meta-Llama-3-70B', repo: 'meta-llama/Meta-Llama-3-70B/blob/main/config.json', aliases: ['Llama-3-70B', 'llama3-70b'], layers: 80, hiddenSize: 8192, heads: 64, kvHeads: 8, intermediateSize: 28672, vocabSize: 128256, paramsB: 70.55, maxContext: 8192 }),
  llama({ name: 'Llama-3.1-8B', repo: 'meta-llama/Llama-3.1-8B/blob/main/config.json', aliases: ['Meta-Llama-3.1-8B', 'Llama-3.1-8B-Instruct', 'LLaMA v3.1 8B', 'llama3.1-8b'], layers: 32, hiddenSize: 4096, kvHeads: 8, intermediateSize: 14336, vocabSize: 128256, paramsB: 8.03, maxContext: 131072 }),
  llama({ name: 'Llama-3.1-70B', repo: 'meta-llama/Llama-3.1-70B/blob/main/config.json', aliases: ['Meta-Llama-3.1-70B', 'Llama-3.1-70B-Instruct', 'LLaMA v3.1 70B', 'llama3.1-70b'], layers: 80, hiddenSize: 8192, heads: 64, kvHeads: 8, intermediateSize: 28672, vocabSize: 128256, paramsB: 70.55, maxContext: 131072 }),
  llama({ name: 'Llama-3.3-70B-Instruct', repo: 'meta-llama/Llama-3.3-70B-Instruct/blob/main/config.json', aliases: ['Llama-3.3-70B', 'llama3.3-70b'], layers: 80, hiddenSize: 8192, heads: 64, kvHeads: 8, intermediateSize: 28672, vocabSize: 128256, paramsB: 70.55, maxContext: 131072 }),
  llama({ name: 'Llama-3.2-3B', repo: 'meta-llama/Llama-3.2-3B/blob/main/config.json', aliases: ['Llama-3.2-3B-Instruct', 'meta-llama/Llama-3.2-3B-Instruct', 'llama3.2-3b'], layers: 28, hiddenSize: 3072, heads: 24, kvHeads: 8, intermediateSize: 8192, vocabSize: 128256, paramsB: 3.21, maxContext: 131072, tiedEmbeddings: true }),
  // Mistral / Mixtral
  llama({ name: 'Mistral-7B-v0.1', repo: 'mistralai/Mistral-7B-v0.1/blob/main/config.json', aliases: ['Mistral-7B', 'mistral-7b'], layers: 32, hiddenSize: 4096, kvHeads: 8, intermediateSize: 14336, vocabSize: 32000, paramsB: 7.24, maxContext: 32768 }),
  llama({ name: 'Mixtral-8x7B-v0.1', repo: 'mistralai/Mixtral-8x7B-v0.1/blob/main/config.json', aliases: ['Mixtral-8x7B', 'Mixtral 8x7B', 'Mixtral-8x7B-Instruct-v0.1', 'mixtral-8x7b'], layers: 32, hiddenSize: 4096, kvHeads: 8, intermediateSize: 14336, vocabSize: 32000, paramsB: 46.7, activeParamsB: 12.9, experts: 8, expertsPerToken: 2, maxContext: 32768 }),
  llama({ name: 'Mixtral-8x22B-v0.1', repo: 'mistralai/Mixtral-8x22B-v0.1/blob/main/config.json', aliases: ['Mixtral-8x22B', 'mixtral-8x22b'], layers: 56, hiddenSize: 6144, heads: 48, kvHeads: 8, intermediateSize: 16384, vocabSize: 32000, paramsB: 140.6, activeParamsB: 39.1, experts: 8, expertsPerToken: 2, maxContext: 65536 }),
  // Qwen2.5 (Qwen2ForCausalLM); the small three tie their embeddings
  llama({ name: 'Qwen2.5-0.5B', repo: 'Qwen/Qwen2.5-0.5B/blob/main/config.json', aliases: ['Qwen2.5-0.5B-Instruct'], layers: 24, hiddenSize: 896, heads: 14, kvHeads: 2, headDim: 64, intermediateSize: 4864, vocabSize: 151936, paramsB: 0.49, maxContext: 32768, tiedEmbeddings: true }),
  llama({ name: 'Qwen2.5-1.5B', repo: 'Qwen/Qwen2.5-1.5B/blob/main/config.json', aliases: ['Qwen2.5-1.5B-Instruct'], layers: 28, hiddenSize: 1536, heads: 12, kvHeads: 2, intermediateSize: 8960, vocabSize: 151936, paramsB: 1.54, maxContext: 32768, tiedEmbeddings: true }),
  llama({ name: 'Qwen2.5-3B', repo: 'Qwen/Qwen2.5-3B/blob/main/config.json', aliases: ['Qwen2.5-3B-Instruct'], layers: 36, hiddenSize: 2048, heads: 16, kvHeads: 2, intermediateSize: 11008, vocabSize: 151936, paramsB: 3.09, maxContext: 32768, tiedEmbeddings: true }),
  llama({ name: 'Qwen2.5-7B', repo: 'Qwen/Qwen2.5-7B/blob/main/config.json', aliases: ['Qwen2.5-7B-Instruct'], layers: 28, hiddenSize: 3584, heads: 28, kvHeads: 4, intermediateSize: 18944, vocabSize: 152064, paramsB: 7.62, maxContext: 131072 }),
  llama({ name: 'Qwen2.5-14B', repo: 'Qwen/Qwen2.5-14B/blob/main/config.json', aliases: ['Qwen2.5-14B-Instruct'], layers: 48, hiddenSize: 5120, heads: 40, kvHeads: 8, intermediateSize: 13824, vocabSize: 152064, paramsB: 14.77, maxContext: 131072 }),
  llama({ name: 'Qwen2.5-32B', repo: 'Qwen/Qwen2.5-32B/blob/main/config.json', aliases: ['Qwen2.5-32B-Instruct'], layers: 64, hiddenSize: 5120, heads: 40, kvHeads: 8, intermediateSize: 27648, vocabSize: 152064, paramsB: 32.76, maxContext: 131072 }),
  llama({ name: 'Qwen2.5-72B', repo: 'Qwen/Qwen2.5-72B/blob/main/config.json', aliases: ['Qwen2.5-72B-Instruct'], layers: 80, hiddenSize: 8192, heads: 64, kvHeads: 8, intermediateSize: 29568, vocabSize: 152064, paramsB: 72.71, maxContext: 131072 }),
  // Qwen first release (QWenLMHeadModel): no grouped-query attention; intermediate = config / 2
  llama({ name: 'Qwen-72B', repo: 'Qwen/Qwen-72B/blob/main/config.json', aliases: [], layers: 80, hiddenSize: 8192, heads: 64, kvHeads: 64, intermediateSize: 24576, vocabSize: 152064, paramsB: 72.29, maxContext: 32768 }),
  llama({ name: 'Qwen-14B', repo: 'Qwen/Qwen-14B/blob/main/config.json', aliases: [], layers: 40, hiddenSize: 5120, heads: 40, kvHeads: 40, intermediateSize: 13696, vocabSize: 152064, paramsB: 14.17, maxContext: 8192 }),
  llama({ name: 'Qwen-7B', repo: 'Qwen/Qwen-7B/blob/main/config.json', aliases: [], layers: 32, hiddenSize: 4096, kvHeads: 32, intermediateSize: 11008, vocabSize: 151936, paramsB: 7.72, maxContext: 8192 }),
  llama({ name: 'Qwen-1_8B', repo: 'Qwen/Qwen-1_8B/blob/main/config.json', aliases: ['Qwen-1.8B'], layers: 24, hiddenSize: 2048, heads: 16, kvHeads: 16, intermediateSize: 5504, vocabSize: 151936, paramsB: 1.84, maxContext: 8192 }),
  // Yi (LlamaForCausalLM)
  llama({ name: 'Yi-6B', repo: '01-ai/Yi-6B/blob/main/config.json', aliases: [], layers: 32, hiddenSize: 4096, kvHeads: 4, intermediateSize: 11008, vocabSize: 64000, paramsB: 6.06, maxContext: 4096 }),
  llama({ name: 'Yi-34B', repo: '01-ai/Yi-34B/blob/main/config.json', aliases: [], layers: 60, hiddenSize: 7168, heads: 56, kvHeads: 8, intermediateSize: 20480, vocabSize: 64000, paramsB: 34.39, maxContext: 4096 }),
  // DeepSeek-LLM (LlamaForCausalLM)
  llama({ name: 'deepseek-llm-7b-base', repo: 'deepseek-ai/deepseek-llm-7b-base/blob/main/config.json', aliases: ['deepseek-llm-7b', 'DeepSeek-LLM-7B', 'deepseek-llm-7b-chat'], layers: 30, hiddenSize: 4096, kvHeads: 32, intermediateSize: 11008, vocabSize: 102400, paramsB: 6.91, maxContext: 4096 }),
  llama({ name: 'deepseek-llm-67b-base', repo: 'deepseek-ai/deepseek-llm-67b-base/blob/main/config.json', aliases: ['deepseek-llm-67b', 'DeepSeek-LLM-67B', 'deepseek-llm-67b-chat'], layers: 95, hiddenSize: 8192, heads: 64, kvHeads: 8, intermediateSize: 22016, vocabSize: 102400, paramsB: 67.4, maxContext: 4096 }),
  // Falcon (RWForCausalLM / FalconForCausalLM): 7B is multi-query (one KV head), 40B has 8 KV groups
  { name: 'falcon-7b', repo: 'tiiuae/falcon-7b/blob/main/config.json', aliases: ['Falcon-7B'], layers: 32, hiddenSize: 4544, heads: 71, kvHeads: 1, headDim: 64, intermediateSize: 18176, vocabSize: 65024, paramsB: 6.92, maxContext: 2048, mlpMatrices: 2, tiedEmbeddings: true },
  { name: 'falcon-40b', repo: 'tiiuae/falcon-40b/blob/main/config.json', aliases: ['Falcon-40B'], layers: 60, hiddenSize: 8192, heads: 128, kvHeads: 8, headDim: 64, intermediateSize: 32768, vocabSize: 65024, paramsB: 41.3, maxContext: 2048, mlpMatrices: 2, tiedEmbeddings: true },
  // MPT (MPTForCausalLM): d_model, n_heads, n_layers, expansion_ratio 4, tied embeddings
  { name: 'mpt-7b', repo: 'mosaicml/mpt-7b/blob/main/config.json', aliases: ['MPT-7B'], layers: 32, hiddenSize: 4096, heads: 32, kvHeads: 32, headDim: 128, intermediateSize: 16384, vocabSize: 50432, paramsB: 6.65, maxContext: 2048, mlpMatrices: 2, tiedEmbeddings: true },
  // InternLM (InternLMForCausalLM)
  llama({ name: 'internlm-7b', repo: 'internlm/internlm-7b/blob/main/config.json', aliases: ['InternLM-7B'], layers: 32, hiddenSize: 4096, kvHeads: 32, intermediateSize: 11008, vocabSize: 103168, paramsB: 7.32, maxContext: 2048 }),
  llama({ name: 'internlm-20b', repo: 'internlm/internlm-20b/blob/main/config.json', aliases: ['InternLM-20B', 'internlm-20b-chat'], layers: 60, hiddenSize: 5120, heads: 40, kvHeads: 40, intermediateSize: 13824, vocabSize: 103168, paramsB: 20.05, maxContext: 4096 }),
  // Gemma 2 (Gemma2ForCausalLM): head_dim is explicit (256 for 2B/9B), embeddings tied
  { name: 'gemma-2-2b', repo: 'google/gemma-2-2b/blob/main/config.json', aliases: ['Gemma-2-2B', 'gemma-2-2b-it'], layers: 26, hiddenSize: 2304, heads: 8, kvHeads: 4, headDim: 256, intermediateSize: 9216, vocabSize: 256000, paramsB: 2.61, maxContext: 8192, tiedEmbeddings: true },
  { name: 'gemma-2-9b', repo: 'google/gemma-2-9b/blob/main/config.json', aliases: ['Gemma-2-9B', 'gemma-2-9b-it'], layers: 42, hiddenSize: 3584, heads: 16, kvHeads: 8, headDim: 256, intermediateSize: 14336, vocabSize: 256000, paramsB: 9.24, maxContext: 8192, tiedEmbeddings: true },
  { name: 'gemma-2-27b', repo: 'google/gemma-2-27b/blob/main/config.json', aliases: ['Gemma-2-27B', 'gemma-2-27b-it'], layers: 46, hiddenSize: 4608, heads: 32, kvHeads: 16, headDim: 128, intermediateSize: 36864, vocabSize: 256000, paramsB: 27.23, maxContext: 8192, tiedEmbeddings: true },
  // BLOOM (BloomForCausalLM): n_layer, hidden_size, n_head; plain GELU MLP of 4 x hidden, tied embeddings
  { name: 'bloom-176b', repo: 'bigscience/bloom/blob/main/config.json', aliases: ['BLOOM-176B', 'bloom'], layers: 70, hiddenSize: 14336, heads: 112, kvHeads: 112, headDim: 128, intermediateSize: 57344, vocabSize: 250880, paramsB: 176.25, maxContext: 2048, mlpMatrices: 2, tiedEmbeddings: true },
];

export interface CatalogModel extends ModelArch {
  aliases: string[];
}

export const modelCatalog: CatalogModel[] = entries.map(({ repo, aliases, ...e }) => ({
  ...e,
  activeParamsB: e.activeParamsB ?? e.paramsB,
  source: `huggingface.co/${repo}`,
  aliases: aliases ?? [],
}));
