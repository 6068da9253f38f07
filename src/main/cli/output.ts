import { toFailure, type EngineFailure } from '../../shared/errors';
import { withHint } from './hints';

export interface CliOptions {
  workspace?: string;
  json?: boolean;
}

// Exit codes: 1 = bad input or file, 2 = usage, 3 = infeasible, 4 = cancelled/timeout, 70 = internal.
const exitCodes: Partial<Record<EngineFailure['code'], number>> = {
  INVALID_INPUT: 1,
  FILE_FORMAT: 1,
  NOT_FOUND: 1,
  CONFLICT: 1,
  INFEASIBLE: 3,
  CANCELLED: 4,
  TIMEOUT: 4,
  INTERNAL: 70,
};

export function printResult(value: unknown, json: boolean | undefined, human: (v: any) => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human(value) + '\n');
}

export function printFailure(err: unknown, json: boolean | undefined, workspace: string | null = null): number {
  const f = withHint(toFailure(err), workspace);
  if (json) process.stdout.write(JSON.stringify({ error: f, ...(workspace !== null ? { workspace } : {}) }, null, 2) + '\n');
  process.stderr.write(`routeplan: ${f.code}: ${f.message}\n`);
  if (f.code === 'INTERNAL' && process.env.ROUTEPLAN_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return exitCodes[f.code] ?? 1;
}

/** A plain text table: first row is the header. */
export function table(rows: (string | number | null)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c == null ? '—' : String(c))));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}
