import type { EngineFailure } from '../../shared/errors';

// The command that resolves a failure, appended to its message: a newcomer reads what to run next
// instead of guessing. Matched on the engine's stable code and the start of its message.
const hints: { code: EngineFailure['code']; test: (f: EngineFailure) => boolean; hint: string }[] = [
  { code: 'CONFLICT', test: (f) => f.details?.contentHash !== undefined, hint: 'add `--if-exists reuse` to use the stored dataset, or `routeplan datasets --delete ID` first' },
  { code: 'CONFLICT', test: (f) => /^a dataset named/.test(f.message), hint: 'pick another `--name`, or `routeplan datasets` to see the stored ones' },
  { code: 'CONFLICT', test: (f) => /holds the demo dataset/.test(f.message), hint: '`routeplan datasets` lists it; `routeplan demo --seed N` makes another' },
  { code: 'CONFLICT', test: (f) => /newer routeplan/.test(f.message), hint: 'open it with that newer routeplan, or pass `--workspace` for another file' },
  { code: 'NOT_FOUND', test: (f) => /^no predictor /.test(f.message), hint: '`routeplan predictors` lists the stored predictors; `routeplan train --dataset ID` makes one' },
  { code: 'NOT_FOUND', test: (f) => /^no dataset /.test(f.message), hint: '`routeplan datasets` lists the stored datasets' },
  { code: 'NOT_FOUND', test: (f) => /^no policy /.test(f.message), hint: '`routeplan policies` lists the exported policies' },
  { code: 'NOT_FOUND', test: (f) => /^no scenario /.test(f.message), hint: '`routeplan scenarios list` lists the saved scenarios' },
];

/** The failure with the resolving command added to its message (and as details.hint). */
export function withHint(f: EngineFailure, workspace: string | null): EngineFailure {
  const h = hints.find((x) => x.code === f.code && x.test(f))?.hint;
  // A stored thing that is missing may simply live in another workspace than the one used.
  const where = workspace !== null && h && f.code === 'NOT_FOUND' ? ` (in workspace ${workspace}; --workspace FILE for another)` : '';
  if (!h) return f;
  return { ...f, message: `${f.message}${where}; ${h}`, details: { ...f.details, hint: h } };
}
