// The gateway targets by name, apart from their renderers (and YAML), so that the CLI can list
// them in its help without loading them.
export const gatewayFormatNames = ['litellm', 'vllm-sr', 'envoy'] as const;
export type GatewayFormat = (typeof gatewayFormatNames)[number];
