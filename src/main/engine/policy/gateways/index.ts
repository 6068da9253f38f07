import type { Policy } from '../format';
import { envoyAiGatewayConfig } from './envoy';
import { liteLlmConfig } from './litellm';
import { vllmSemanticRouterConfig } from './vllm-sr';
import type { GatewayFormat } from './names';

export type { GatewayFormat } from './names';

export const gatewayFormats = {
  litellm: { file: 'litellm-config.yaml', title: 'LiteLLM proxy config.yaml', render: liteLlmConfig },
  'vllm-sr': { file: 'vllm-semantic-router-config.yaml', title: 'vLLM Semantic Router config.yaml', render: vllmSemanticRouterConfig },
  envoy: { file: 'envoy-ai-gateway.yaml', title: 'Envoy AI Gateway AIGatewayRoute + AIServiceBackends', render: (p: Policy) => envoyAiGatewayConfig(p) },
} as const satisfies Record<GatewayFormat, { file: string; title: string; render: (p: Policy) => string }>;
