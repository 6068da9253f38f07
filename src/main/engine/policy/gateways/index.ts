import type { Policy } from '../format';
import type { ResolvedDeployment } from './deployment';
import { envoyAiGatewayConfig } from './envoy';
import { liteLlmConfig } from './litellm';
import { vllmSemanticRouterConfig } from './vllm-sr';
import type { GatewayFormat } from './names';

export type { GatewayFormat } from './names';

export const gatewayFormats = {
  litellm: { file: 'litellm-config.yaml', title: 'LiteLLM proxy config.yaml', render: liteLlmConfig },
  'vllm-sr': { file: 'vllm-semantic-router-config.yaml', title: 'vLLM Semantic Router config.yaml (v0.3)', render: vllmSemanticRouterConfig },
  envoy: { file: 'envoy-ai-gateway.yaml', title: 'Envoy AI Gateway v1beta1: Gateway, AIGatewayRoutes, AIServiceBackends, Backends, BackendSecurityPolicies', render: envoyAiGatewayConfig },
} as const satisfies Record<GatewayFormat, { file: string; title: string; render: (p: Policy, d: ResolvedDeployment) => string }>;
