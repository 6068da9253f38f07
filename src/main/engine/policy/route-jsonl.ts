import { EngineError, fileError } from '../../../shared/errors';
import type { Policy, StrategyName } from './format';
import { parseQueryLine, type RouteQuery } from './queries';
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
 * `routeplan route` as a stream: text goes in by push() in pieces of any size, decisions come out
 * through `write` a chunk of queries at a time (whole batches for the batch-like strategies), so
 * memory holds one chunk and one partial line, whatever the input's length. A line longer than
 * the limit is dropped as it streams (never held whole) and refused with its row.
 *
 * 'fail' (default) refuses at the first bad line by throwing; the caller keeps the decisions
 * already written from reaching the reader (routeJsonl buffers them; the CLI spools them).
 */
export class JsonlRouter {
  readonly strategy: StrategyName;
  private readonly router: PolicyRouter;
  private readonly batchSize: number;
  private readonly chunk: number;
  private readonly file: string;
  private readonly maxChars: number;
  private readonly summary: RouteSummary;
  private pending: RouteQuery[] = [];
  private tail = '';
  /** Row of the line being assembled (1-based), and whether it already ran over the limit. */
  private row = 1;
  private overlong = 0;

  constructor(
    private readonly policy: Policy,
    private readonly write: (text: string) => void,
    private readonly opts: RouteJsonlOptions = {},
  ) {
    this.router = new PolicyRouter(policy);
    this.file = opts.inputFile ?? 'stdin';
    this.maxChars = opts.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
    this.strategy = opts.strategy ?? (opts.batchSize || opts.budgetConfidence != null ? 'batch' : policy.strategy.default);
    if (opts.budgetConfidence != null && this.strategy !== 'batch') throw new EngineError('INVALID_INPUT', `a budget confidence applies to the batch strategy, not ${this.strategy}`, { field: 'budgetConfidence' });
    // Batch-like strategies decide per batch, so chunks must be whole batches.
    this.batchSize = opts.batchSize ?? policy.strategy.batch.batchSize;
    this.chunk = this.strategy === 'batch' || this.strategy === 'ndch' ? this.batchSize * Math.max(1, Math.floor(4096 / this.batchSize)) : (opts.chunk ?? 4096);
    this.summary = { queries: 0, strategy: this.strategy, policyHash: policy.contentHash, estimatedCost: 0, meanProbability: 0, perModel: Object.create(null) as Record<string, number>, fallbacks: 0, skipped: 0 };
    for (const m of policy.models) this.summary.perModel[m.id] = 0;
  }

  /** More input text (any split; lines may straddle pieces). */
  push(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.line(text.slice(start, nl));
      start = nl + 1;
    }
    this.partial(text.slice(start));
  }

  /** The end of input: the last line, the last chunk, and the tally. */
  end(): RouteSummary {
    if (this.tail !== '' || this.overlong) this.line('');
    this.flush();
    if (this.summary.queries) this.summary.meanProbability /= this.summary.queries;
    return this.summary;
  }

  private partial(piece: string): void {
    if (this.overlong) {
      this.overlong += piece.length;
      return;
    }
    if (this.tail.length + piece.length > this.maxChars) {
      // Over the limit before its end: count the rest without keeping it.
      this.overlong = this.tail.length + piece.length;
      this.tail = '';
      return;
    }
    this.tail += piece;
  }

  private line(piece: string): void {
    const row = this.row++;
    const overlong = this.overlong ? this.overlong + piece.length : 0;
    const line = overlong ? '' : this.tail + piece;
    this.tail = '';
    this.overlong = 0;
    if (!overlong && line.trim() === '') return;
    try {
      const length = overlong || line.length;
      if (length > this.maxChars) throw fileError(this.file, row, null, `line of ${length} characters is over the limit of ${this.maxChars}`);
      // Invalid UTF-8 decodes to U+FFFD; a NUL never occurs in JSON text.
      if (/[\u0000\uFFFD]/.test(line)) throw fileError(this.file, row, null, 'binary or non-UTF-8 data');
      this.pending.push(parseQueryLine(line, row, this.router.modelIndex, this.file));
    } catch (err) {
      if (this.opts.onError !== 'skip' || !(err instanceof EngineError)) throw err;
      this.summary.skipped++;
      this.opts.onBadLine?.({ row, reason: err.message.replace(`${this.file}, row ${row}`, '').replace(/^[,:]\s*/, '') });
    }
    if (this.pending.length >= this.chunk) this.flush();
  }

  private flush(): void {
    if (!this.pending.length) return;
    const { decisions } = this.router.route(this.pending, { strategy: this.strategy, batchSize: this.batchSize, budgetConfidence: this.opts.budgetConfidence });
    this.pending = [];
    let out = '';
    for (const d of decisions) {
      out += JSON.stringify(d) + '\n';
      tally(this.summary, d);
    }
    this.write(out);
  }
}

/**
 * The whole of `routeplan route` on a string (tests, small inputs): the policy is checked for
 * integrity here (a Policy object is taken as already verified; trust in its signer is the
 * caller's, see signing.ts), and with 'fail' no decision reaches `write` unless every line routed.
 */
export function routeJsonl(policy: Policy | string, input: string, write: (line: string) => void, opts: RouteJsonlOptions = {}): RouteSummary {
  const verified = typeof policy === 'string' ? readPolicy(policy, opts.policyFile ?? 'policy') : policy;
  const held: string[] = [];
  const router = new JsonlRouter(verified, opts.onError === 'skip' ? write : (s) => held.push(s), opts);
  router.push(input);
  const summary = router.end();
  held.forEach(write);
  return summary;
}

function tally(s: RouteSummary, d: Decision): void {
  s.queries++;
  s.estimatedCost += d.estimated_cost;
  s.meanProbability += d.probability;
  s.perModel[d.model]++;
  if (d.fallback) s.fallbacks++;
}
