import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EngineError } from '../../../shared/errors';
import { migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens a workspace: WAL for crash safety and concurrent readers, foreign keys on, migrations
 * applied in one transaction each. ':memory:' gives a private in-memory workspace (tests).
 */
export function openDatabase(path: string, opts: { create?: boolean } = {}): Db {
  if (path !== ':memory:' && opts.create !== false) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw openFailure(err, path);
    }
  }
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: opts.create === false });
  } catch (err) {
    const f = openFailure(err, path);
    throw f.details?.reason ? f : new EngineError('NOT_FOUND', `cannot open workspace ${path}: ${(err as Error).message}`, { path });
  }
  try {
    // Before anything writes: another program's SQLite database is refused untouched (no tables
    // added, no switch to WAL).
    foreignDatabaseCheck(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
  } catch (err) {
    db.close();
    if (err instanceof EngineError) throw err;
    throw openFailure(err, path);
  }
  return db;
}

/**
 * A second, read-only connection to an existing workspace file, for a worker thread that reads
 * while the engine thread keeps writing (WAL lets a reader work beside the one writer). It runs no
 * migrations and changes nothing: the engine's own connection has already opened the file.
 */
export function openReadOnly(path: string): Db {
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw openFailure(err, path);
  }
  db.pragma('busy_timeout = 5000');
  return db;
}

// Tables the first migration creates: a database with a schema version but none of these is not ours.
const OWN_TABLES = ['meta', 'datasets', 'models', 'queries', 'labels'];

function foreignDatabaseCheck(db: Db, path: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  const version = schemaVersion(db);
  const ours = OWN_TABLES.every((t) => tables.includes(t));
  if ((version === 0 && tables.length > 0) || (version > 0 && !ours)) {
    throw new EngineError('FILE_FORMAT', `${path} is an SQLite database of another program (tables: ${tables.slice(0, 6).join(', ') || 'none'}${tables.length > 6 ? ', …' : ''}), not a routeplan workspace; it was not modified. Choose another --workspace file`, { path, reason: 'foreign-database', tables: tables.slice(0, 20) });
  }
}

/** Why a workspace could not be opened, named: read-only, full disk, missing folder, not a database. */
function openFailure(err: unknown, path: string): EngineError {
  const code = String((err as { code?: unknown }).code ?? '');
  const msg = (err as Error).message;
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES') return new EngineError('INVALID_INPUT', `the workspace ${path} is read-only (or its folder is): routeplan needs to write beside it (${msg})`, { path, reason: 'read-only', sqlite: code });
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') return new EngineError('INVALID_INPUT', `the disk holding ${path} is full: nothing was written (${msg})`, { path, reason: 'disk-full', sqlite: code });
  if (code.startsWith('SQLITE_CANTOPEN') && !writable(path)) return new EngineError('INVALID_INPUT', `the workspace ${path} is on a read-only file system or in a folder routeplan cannot write to (SQLite needs to write beside it): ${msg}`, { path, reason: 'read-only', sqlite: code });
  if (code.startsWith('SQLITE_CANTOPEN')) return new EngineError('NOT_FOUND', `cannot open workspace ${path}: ${msg}`, { path, sqlite: code });
  if (code.startsWith('SQLITE_IOERR')) return new EngineError('INVALID_INPUT', `input/output error on the workspace ${path} (${msg})`, { path, reason: 'io-error', sqlite: code });
  return new EngineError('FILE_FORMAT', `${path} is not a routeplan workspace: ${msg}`, { path, sqlite: code || undefined });
}

function writable(path: string): boolean {
  try {
    accessSync(existsSync(path) ? path : dirname(path), constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, path: string): void {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new EngineError('CONFLICT', `${path} was written by a newer routeplan (schema ${current}; this build knows ${migrations.length})`, { path, schemaVersion: current });
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
