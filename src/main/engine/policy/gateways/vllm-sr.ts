import type { Policy } from '../format';
import { defaultModel, domainRanking, header, k8sName, sig, toYaml } from './common';
import type { Deployment, ResolvedDeployment } from './deployment';
import { taskSignalThresholds } from './vllm-sr-thresholds';

/** The config surface the output is checked against (schemas/vendor/vllm-sr/README.md). */
export const VLLM_SR_TARGET = 'vLLM Semantic Router config v0.3 (vllm-project/semantic-router@3d48f8c9cc0d5b15067ce324a03ec6cc25f192c3, src/vllm-sr/cli/models.py UserConfig)';

const TASK_PRIORITY = 100;

/** Name of the embedding signal that recognises a task. */
export const taskSignal = (task: string) => `routeplan-task-${k8sName(task)}`;

function backendRef(m: Deployment): Record<string, unknown> {
  const tls = m.endpoint.protocol === 'https:';
  const port = Number(m.endpoint.port) || (tls ? 443 : 80);
  // A backend given as host:port has no provider profile: the router keeps the client's path
  // (/v1/chat/completions), so it serves only an endpoint whose API sits at /v1. Any other path
  // goes through base_url, whose path the router prefixes to the provider's suffix (upstream-urls.ts).
  if (m.provider === 'vllm' && m.endpoint.pathname.replace(/\/+$/, '') === '/v1') {
    return { name: `${m.name}-primary`, endpoint: `${m.endpoint.hostname}:${port}`, protocol: tls ? 'https' : 'http', weight: 1, ...(m.apiKey ? { api_key_env: m.apiKey.env } : {}) };
  }
  return {
    name: `${m.name}-primary`,
    base_url: m.endpoint.href.replace(/\/+$/, ''),
    provider: m.provider === 'anthropic' ? 'anthropic' : 'openai',
    weight: 1,
    ...(m.apiKey ? { api_key_env: m.apiKey.env } : {}),
  };
}

/**
 * vLLM Semantic Router `config.yaml`, config version v0.3. providers.models carries each model's
 * upstream id, API format, prices and backend; routing.modelCards names every model (its
 * validator requires one card per provider model and per model a decision names). A task is
 * recognised by an embedding signal whose candidates are training prompts of that task (the stock
 * domain classifier knows only its own subject labels, never the dataset's tasks); the task's
 * decision lists the models in the order of the online dual-price rule on the task's mean
 * probability and cost (first = the plan's choice). A match-all decision at the lowest priority
 * sends everything else to the plan's main model.
 */
export function vllmSemanticRouterConfig(p: Policy, d: ResolvedDeployment): string {
  const examples = p.provenance.taskExamples ?? {};
  const ranking = domainRanking(p).filter(({ task }) => examples[task]?.length);
  const quality = p.decisionPrior?.default ?? p.strategy.ndch?.accuracy;
  const main = defaultModel(p);
  const thresholds = taskSignalThresholds(p, d, ranking.map(({ task }) => task));
  const config = {
    version: 'v0.3',
    listeners: [{ name: 'http-8899', address: '0.0.0.0', port: 8899, timeout: '300s' }],
    providers: {
      defaults: { default_model: main },
      models: d.models.map((m) => ({
        name: m.id,
        provider_model_id: m.upstreamModel,
        api_format: m.provider === 'anthropic' ? 'anthropic' : 'openai',
        pricing: { currency: 'USD', prompt_per_1m: m.priceInPerM, completion_per_1m: m.priceOutPerM },
        backend_refs: [backendRef(m)],
      })),
    },
    routing: {
      modelCards: p.models.map((m, j) => {
        const q = quality?.[j];
        return { name: m.id, description: `${m.id}: ${(100 * m.trafficShare).toFixed(1)}% of the planned traffic (routeplan policy ${p.name})`, ...(q != null && q >= 0 && q <= 1 ? { quality_score: sig(q) } : {}) };
      }),
      signals: {
        embeddings: ranking.map(({ task }) => ({ name: taskSignal(task), threshold: thresholds.byTask[task], aggregation_method: 'max', candidates: examples[task] })),
      },
      decisions: [
        ...ranking.map(({ task, ranked }) => ({
          name: `routeplan-${k8sName(task)}`,
          description: `Task ${task}: argmax p - lambda c - mu (lambda = ${sig(p.strategy.online.lambda)}); mean p of the first: ${sig(ranked[0].probability)}`,
          // Equal priorities: a query matching two task signals goes to the more similar one (the
          // decision engine's priority comparator falls to confidence on equal priority;
          // semantic-router@3d48f8c9 src/semantic-router/pkg/decision/engine.go), not to the first by name.
          priority: TASK_PRIORITY,
          rules: { operator: 'OR', conditions: [{ type: 'embedding', name: taskSignal(task) }] },
          modelRefs: ranked.map((r) => ({ model: r.model, use_reasoning: false })),
        })),
        { name: 'routeplan-default', description: `Queries of no known task: the plan's main model (${main})`, priority: 1, modelRefs: [{ model: main, use_reasoning: false }] },
      ],
    },
  };
  const missing = domainRanking(p).length - ranking.length;
  const note = missing > 0 ? `# ${missing} task(s) have no example prompts in this policy (exported before format 1 carried them): re-export to route them by task.\n` : '';
  const signals = `# Task signals: per task up to 8 distinct training prompts (Python-list wrappers and escapes removed, the final question of few-shot prompts, cut to 400 characters at a line boundary, de-duplicated after the cut): ${ranking.map(({ task }) => `${task} ${examples[task].length}`).join(', ')}; overlapping tasks go to the most similar (equal priorities).\n`;
  return `${header(p, VLLM_SR_TARGET)}\n${note}${signals}${thresholds.header}${toYaml(config)}`;
}
