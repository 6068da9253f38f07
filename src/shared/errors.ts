// Failures cross every boundary as data: a stable code, a human message, and details that name
// where the problem is (file, row, column, field).
export const errorCodes = [
  'INVALID_INPUT', // a request or argument failed validation
  'FILE_FORMAT', // a file could not be parsed or holds bad values
  'NOT_FOUND',
  'CONFLICT', // e.g. importing a dataset name that already exists
  'CANCELLED',
  'INFEASIBLE',
  'TIMEOUT',
  'UNAUTHORIZED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface EngineFailure {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class EngineError extends Error implements EngineFailure {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.details = details;
  }
  toJSON(): EngineFailure {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Any thrown value as a failure record; unknown errors become INTERNAL with their message. */
export function toFailure(err: unknown): EngineFailure {
  if (err instanceof EngineError) return err.toJSON();
  if (err && typeof err === 'object' && 'code' in err && 'message' in err && typeof (err as EngineFailure).code === 'string' && (errorCodes as readonly string[]).includes((err as EngineFailure).code)) {
    const f = err as EngineFailure;
    return { code: f.code, message: f.message, ...(f.details ? { details: f.details } : {}) };
  }
  const sqlite = sqliteFailure(err);
  if (sqlite) return sqlite;
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/**
 * SQLite's and the file system's errors that a user can act on. Another process holding the write lock past the
 * busy timeout is a conflict to retry, not a crash; a file that is not a database is a bad file.
 */
function sqliteFailure(err: unknown): EngineFailure | null {
  const code = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return { code: 'CONFLICT', message: 'the workspace is busy: another routeplan process is writing to it; try again when it has finished', details: { sqlite: code } };
  }
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return { code: 'FILE_FORMAT', message: `the workspace file is damaged or not a routeplan workspace (${(err as Error).message})`, details: { sqlite: code } };
  }
  if (code.startsWith('SQLITE_FULL')) return { code: 'CONFLICT', message: 'the disk is full: nothing was written', details: { sqlite: code } };
  if (code.startsWith('SQLITE_READONLY')) return { code: 'INVALID_INPUT', message: `the workspace is read-only: nothing was written (${(err as Error).message})`, details: { sqlite: code, reason: 'read-only' } };
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return { code: 'INVALID_INPUT', message: `input/output error on the workspace: nothing was written (${(err as Error).message})`, details: { sqlite: code, reason: 'io-error' } };
  // The file system's own refusals (a write to --out, a temporary file): environment, not a crash.
  const environment: Record<string, string> = { ENOSPC: 'the disk is full', EDQUOT: 'the disk quota is exhausted', EROFS: 'the file system is read-only', EACCES: 'permission denied', EPERM: 'operation not permitted', ENOENT: 'no such file or folder', ENOTDIR: 'not a folder', EISDIR: 'is a folder', EMFILE: 'too many open files', EPIPE: 'the reader closed the pipe' };
  if (environment[code]) {
    const path = (err as { path?: unknown }).path;
    return { code: code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT', message: `${typeof path === 'string' ? `${path}: ` : ''}${environment[code]} (${code})`, details: { errno: code, reason: 'environment', ...(typeof path === 'string' ? { path } : {}) } };
  }
  return null;
}

export function fromFailure(f: EngineFailure): EngineError {
  return new EngineError(f.code, f.message, f.details);
}

/** Error for a bad value in a file: the message always names file, row and column. */
export function fileError(file: string, row: number | null, column: string | null, problem: string, extra?: Record<string, unknown>): EngineError {
  const where = [file, row != null ? `row ${row}` : null, column != null ? `column "${column}"` : null].filter(Boolean).join(', ');
  return new EngineError('FILE_FORMAT', `${where}: ${problem}`, { file, row, column, ...extra });
}
