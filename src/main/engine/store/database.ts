import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EngineError } from '../../../shared/errors';
import { migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens a workspace: WAL for crash safety and concurrent readers, foreign keys on, migrations
 * applied in one transaction each. ':memory:' gives a private in-memory workspace (tests).
 */
export function openDatabase(path: string, opts: { create?: boolean } = {}): Db {
  if (path !== ':memory:' && opts.create !== false) mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: opts.create === false });
  } catch (err) {
    throw new EngineError('NOT_FOUND', `cannot open workspace ${path}: ${(err as Error).message}`, { path });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
  } catch (err) {
    db.close();
    if (err instanceof EngineError) throw err;
    throw new EngineError('FILE_FORMAT', `${path} is not a routeplan workspace: ${(err as Error).message}`, { path });
  }
  return db;
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
