import { stringify } from 'yaml';
import type { Policy } from '../format';
import { defaultModel, domainRanking, header, k8sName, sig } from './common';

/**
 * vLLM Semantic Router `config.yaml` (config version v0.3: providers.models with pricing,
 * routing.signals.domains with model_scores, routing.decisions with rules and modelRefs).
 * Domains are the policy's tasks; a domain's model_scores are our mean calibrated probabilities
 * on that task; its decision lists the models in the order of the online dual-price rule applied
 * to the task means (first = the model the plan picks for that domain). Endpoints are
 * placeholders (`<model>.backend:8000`) to be replaced by the deployment's addresses.
 */
export function vllmSemanticRouterConfig(p: Policy): string {
  const ranking = domainRanking(p);
  const config = {
    version: 'v0.3',
    listeners: [{ name: 'http-8899', address: '0.0.0.0', port: 8899, timeout: '300s' }],
    providers: {
      defaults: { model: defaultModel(p) },
      models: p.models.map((m) => ({
        name: m.id,
        provider_model_id: m.gatewayModel ?? m.id,
        api_format: 'openai',
        pricing: { currency: 'USD', prompt_per_1m: m.priceInPerM, completion_per_1m: m.priceOutPerM },
        backend_refs: [{ name: `${k8sName(m.id)}-primary`, endpoint: `${k8sName(m.id)}.backend:8000`, protocol: 'http', weight: 100 }],
      })),
    },
    routing: {
      signals: {
        domains: ranking.map(({ task, ranked }) => ({
          name: task,
          description: `Queries of task ${task} (routeplan training data)`,
          model_scores: ranked
            .slice()
            .sort((a, b) => b.probability - a.probability)
            .map((r) => ({ model: r.model, score: sig(r.probability), use_reasoning: false })),
        })),
      },
      decisions: ranking.map(({ task, ranked }, d) => ({
        name: `routeplan-${k8sName(task)}`,
        description: `Dual-price choice for ${task}: argmax p - lambda c - mu (lambda = ${sig(p.strategy.online.lambda)})`,
        priority: 100 - d,
        rules: { operator: 'OR', conditions: [{ type: 'domain', name: task }] },
        modelRefs: ranked.map((r) => ({ model: r.model, use_reasoning: false })),
      })),
    },
  };
  return `${header(p, 'vLLM Semantic Router')}\n${stringify(config, { lineWidth: 0 })}`;
}
