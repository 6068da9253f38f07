import type { Db } from './database';
import { EngineError } from '../../../shared/errors';

/**
 * Runs async work (a streaming import) inside ONE write transaction: committed only if `work`
 * resolves, rolled back on any failure or cancellation, so the workspace is left exactly as it was.
 * better-sqlite3's db.transaction() takes only synchronous functions, hence explicit BEGIN/COMMIT.
 */
export async function inAsyncTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (db.inTransaction) throw new EngineError('CONFLICT', 'another import is writing to this workspace; try again when it has finished');
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
