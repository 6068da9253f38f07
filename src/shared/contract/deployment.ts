import { z } from 'zod';

/** The deployment mapping file (docs/policies.md): where each policy model is served, with which key and price. */
export const PROVIDERS = ['openai', 'anthropic', 'openai-compatible', 'vllm'] as const;
export type Provider = (typeof PROVIDERS)[number];

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name (letters, digits, _)');
const secretName = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a Kubernetes Secret name (lower-case alphanumerics, - and .)');
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.example.com/v1' });

const ModelMapping = z
  .object({
    provider: z.enum(PROVIDERS).describe('openai | anthropic | openai-compatible (a hosted OpenAI-API service) | vllm (self-hosted, OpenAI API)'),
    upstreamModel: z.string().min(1).optional().describe('the model name the upstream expects (default: the policy\'s id)'),
    endpoint: url.optional().describe('base URL of the API, path included (default per provider; anthropic: the host root, a trailing /v1 is dropped)'),
    apiKey: z
      .object({ secret: secretName.optional(), env: envName.optional() })
      .refine((k) => k.secret || k.env, 'name a Kubernetes Secret (secret) or an environment variable (env), or both')
      .optional()
      .describe('where the key lives: a Kubernetes Secret with key "apiKey" (Envoy) and an environment variable (LiteLLM, vLLM SR)'),
    auth: z.literal('none').optional().describe('the endpoint takes no key (an in-cluster vLLM)'),
    priceInPerM: z.number().min(0).optional().describe('USD per 1M input tokens (default: the policy\'s catalog price)'),
    priceOutPerM: z.number().min(0).optional(),
  })
  .strict()
  .refine((m) => !(m.auth === 'none' && m.apiKey), 'auth: none and apiKey exclude each other')
  .refine((m) => (m.priceInPerM === undefined) === (m.priceOutPerM === undefined), 'give priceInPerM and priceOutPerM together');

export const DeploymentFile = z
  .object({
    format: z.literal('routeplan.deployment'),
    version: z.literal(1),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace name').default('default'),
    gateway: z
      .object({
        name: z.string().min(1).default('routeplan-gateway'),
        className: z.string().min(1).default('routeplan-envoy-ai-gateway'),
        create: z.boolean().default(true).describe('write the GatewayClass and Gateway (false: reference an existing Gateway)'),
      })
      .strict()
      .default({ name: 'routeplan-gateway', className: 'routeplan-envoy-ai-gateway', create: true }),
    selfHosted: z
      .object({ endpoint: z.string().includes('{name}', { message: 'must contain {name}' }).default('http://{name}.{namespace}.svc.cluster.local:8000/v1') })
      .strict()
      .default({ endpoint: 'http://{name}.{namespace}.svc.cluster.local:8000/v1' })
      .describe('models the catalog places on a GPU type default to provider vllm at this URL ({name} = the model id as a Kubernetes name, {namespace} = namespace)'),
    signals: z
      .object({ embeddingThreshold: z.number().gt(0).lt(1).optional().describe('one threshold for every task signal, overriding the per-task ones the policy chose on held-out training prompts (default when the policy has none: 0.6)') })
      .strict()
      .default({})
      .describe('vLLM SR: similarity above which a query counts as a task'),
    router: z
      .object({
        url: url.describe('where the gateway reaches `routeplan serve-router`, e.g. http://routeplan-router.llm-gateway.svc.cluster.local:8686'),
        token: z
          .object({ secret: secretName.optional(), env: envName.optional() })
          .refine((k) => k.secret || k.env, 'name a Kubernetes Secret (secret) or an environment variable (env), or both')
          .optional()
          .describe('the token serve-router requires (--token-env): a Secret with key "apiKey" (Envoy) and an environment variable (LiteLLM hook)'),
      })
      .strict()
      .optional()
      .describe('routeplan serve-router: routeplan-auto is decided per request by the policy (LiteLLM pre-call hook; Envoy backend at priority 0), the static split only as a fallback'),
    envoy: z
      .object({
        anthropicSchema: z
          .enum(['OpenAI', 'Anthropic'])
          .default('OpenAI')
          .describe('Claude backends: OpenAI = Anthropic\'s OpenAI-compatible endpoint, served on /v1/chat/completions; Anthropic = the Messages API, served on /v1/messages only'),
      })
      .strict()
      .default({ anthropicSchema: 'OpenAI' })
      .describe('Envoy AI Gateway: which schema Claude backends speak'),
    models: z.record(z.string().min(1), ModelMapping).default({}),
  })
  .strict();
export type DeploymentFile = z.infer<typeof DeploymentFile>;

