import type { StrategyName } from './format';
import { jsonlLines, parseQueryLine, type RouteQuery } from './queries';
import { PolicyRouter, type Decision } from './router';
import { readPolicy } from './verify';

export interface RouteJsonlOptions {
  strategy?: StrategyName;
  batchSize?: number;
  /** Queries per forward pass for per-query strategies (does not change decisions). */
  chunk?: number;
  policyFile?: string;
  inputFile?: string;
}

export interface RouteSummary {
  queries: number;
  strategy: StrategyName;
  policyHash: string;
  estimatedCost: number;
  meanProbability: number;
  perModel: Record<string, number>;
  fallbacks: number;
}

/**
 * `routeplan route` without the terminal: verifies the policy, parses every input line (refusing
 * the whole input at the first malformed line or unknown model, with its row), then routes and
 * hands each decision line to `write`. All-or-nothing: no decision is written for refused input.
 */
export function routeJsonl(policyText: string, input: string, write: (line: string) => void, opts: RouteJsonlOptions = {}): RouteSummary {
  const policy = readPolicy(policyText, opts.policyFile ?? 'policy');
  const router = new PolicyRouter(policy);
  const queries: RouteQuery[] = [];
  for (const [line, row] of jsonlLines(input)) queries.push(parseQueryLine(line, row, router.modelIndex, opts.inputFile ?? 'stdin'));
  const strategy = opts.strategy ?? (opts.batchSize ? 'batch' : policy.strategy.default);
  // Batch-like strategies decide per batch, so chunks must be whole batches.
  const size = opts.batchSize ?? policy.strategy.batch.batchSize;
  const chunk = strategy === 'batch' || strategy === 'ndch' ? size * Math.max(1, Math.floor(4096 / size)) : (opts.chunk ?? 4096);
  const summary: RouteSummary = { queries: queries.length, strategy, policyHash: policy.contentHash, estimatedCost: 0, meanProbability: 0, perModel: {}, fallbacks: 0 };
  for (const m of policy.models) summary.perModel[m.id] = 0;
  for (let start = 0; start < queries.length; start += chunk) {
    const { decisions } = router.route(queries.slice(start, start + chunk), { strategy, batchSize: size });
    let out = '';
    for (const d of decisions) {
      out += JSON.stringify(d) + '\n';
      tally(summary, d);
    }
    write(out);
  }
  if (queries.length) summary.meanProbability /= queries.length;
  return summary;
}

function tally(s: RouteSummary, d: Decision): void {
  s.estimatedCost += d.estimated_cost;
  s.meanProbability += d.probability;
  s.perModel[d.model]++;
  if (d.fallback) s.fallbacks++;
}
