import { EngineError, fileError } from '../../../shared/errors';
import type { StrategyName } from './format';
import { jsonlLines, parseQueryLine, type RouteQuery } from './queries';
import { PolicyRouter, type Decision } from './router';
import { readPolicy } from './verify';

export interface RouteJsonlOptions {
  strategy?: StrategyName;
  batchSize?: number;
  /** Hold each batch budget with this probability on realised cost (strategy batch). */
  budgetConfidence?: number;
  /** Queries per forward pass for per-query strategies (does not change decisions). */
  chunk?: number;
  policyFile?: string;
  inputFile?: string;
  /** 'fail' (default): refuse the whole input at the first bad line. 'skip': report and go on. */
  onError?: 'fail' | 'skip';
  /** Called for each skipped line with its 1-based row and the reason (onError 'skip'). */
  onBadLine?: (bad: BadLine) => void;
  /** Longest accepted line, in UTF-16 code units (~bytes for ASCII). */
  maxLineChars?: number;
}

export interface BadLine {
  row: number;
  reason: string;
}

export const DEFAULT_MAX_LINE_CHARS = 1 << 20;

export interface RouteSummary {
  queries: number;
  strategy: StrategyName;
  policyHash: string;
  estimatedCost: number;
  meanProbability: number;
  perModel: Record<string, number>;
  fallbacks: number;
  /** Lines skipped as bad (onError 'skip'); 0 otherwise. */
  skipped: number;
}

/**
 * `routeplan route` without the terminal: verifies the policy, parses every input line, then
 * routes and hands each decision line to `write`. By default all-or-nothing: the first malformed
 * line (not JSON, no text, unknown model, over the size limit, binary) refuses the whole input
 * with its row, and no decision is written. With onError 'skip' each bad line goes to onBadLine
 * and every good line is routed.
 */
export function routeJsonl(policyText: string, input: string, write: (line: string) => void, opts: RouteJsonlOptions = {}): RouteSummary {
  const policy = readPolicy(policyText, opts.policyFile ?? 'policy');
  const router = new PolicyRouter(policy);
  const queries: RouteQuery[] = [];
  const file = opts.inputFile ?? 'stdin';
  const maxChars = opts.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  let skipped = 0;
  for (const [line, row] of jsonlLines(input)) {
    try {
      if (line.length > maxChars) throw fileError(file, row, null, `line of ${line.length} characters is over the limit of ${maxChars}`);
      // Invalid UTF-8 decodes to U+FFFD; a NUL never occurs in JSON text.
      if (/[\u0000\uFFFD]/.test(line)) throw fileError(file, row, null, 'binary or non-UTF-8 data');
      queries.push(parseQueryLine(line, row, router.modelIndex, file));
    } catch (err) {
      if (opts.onError !== 'skip' || !(err instanceof EngineError)) throw err;
      skipped++;
      opts.onBadLine?.({ row, reason: err.message.replace(`${file}, row ${row}`, '').replace(/^[,:]\s*/, '') });
    }
  }
  const strategy = opts.strategy ?? (opts.batchSize || opts.budgetConfidence != null ? 'batch' : policy.strategy.default);
  if (opts.budgetConfidence != null && strategy !== 'batch') throw new EngineError('INVALID_INPUT', `a budget confidence applies to the batch strategy, not ${strategy}`, { field: 'budgetConfidence' });
  // Batch-like strategies decide per batch, so chunks must be whole batches.
  const size = opts.batchSize ?? policy.strategy.batch.batchSize;
  const chunk = strategy === 'batch' || strategy === 'ndch' ? size * Math.max(1, Math.floor(4096 / size)) : (opts.chunk ?? 4096);
  const summary: RouteSummary = { queries: queries.length, strategy, policyHash: policy.contentHash, estimatedCost: 0, meanProbability: 0, perModel: {}, fallbacks: 0, skipped };
  for (const m of policy.models) summary.perModel[m.id] = 0;
  for (let start = 0; start < queries.length; start += chunk) {
    const { decisions } = router.route(queries.slice(start, start + chunk), { strategy, batchSize: size, budgetConfidence: opts.budgetConfidence });
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
