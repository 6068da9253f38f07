import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '../../../shared/errors';
import { openDatabase, type Db } from './database';
import { faultPoint } from '../jobs/fault-point';
import { ownProcessTag, sweepFoldersOfGoneProcesses } from '../jobs/process-identity';

/**
 * A private scratch workspace for a streaming import. The import writes here (its own connection,
 * its own transaction, across awaits); the workspace itself is touched only by commitStaged, in
 * one synchronous transaction. So other handlers never write into a half-done import, readers
 * never see one, and a failed or cancelled import leaves the workspace exactly as it was.
 */
export interface Staging {
  db: Db;
  path: string;
  dispose(): void;
}

/**
 * Removes staging folders whose process is gone (killed mid-import: no exit path ran). The folder
 * name carries its process's pid and start time, so a reused pid does not keep debris alive.
 */
export function sweepStagingFolders(dir = tmpdir()): number {
  return sweepFoldersOfGoneProcesses(dir, 'routeplan-import-');
}

export function openStaging(): Staging {
  sweepStagingFolders();
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), `routeplan-import-${ownProcessTag()}-`));
  } catch (err) {
    throw new EngineError('INVALID_INPUT', `cannot create a staging folder in the temporary folder ${tmpdir()} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): set TMPDIR to a writable folder`, { path: tmpdir(), reason: 'environment' });
  }
  const path = join(dir, 'staging.sqlite');
  let db: Db;
  try {
    db = openDatabase(path);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  // Throwaway: a failed import deletes the file rather than rolling back, and the final copy
  // into the workspace checks foreign keys again. PK, UNIQUE and CHECK constraints stay on.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -32000');
  return {
    db,
    path,
    dispose() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Copies one staged dataset (queries, labels, model order) into the workspace and runs `andThen`
 * (catalog, inventory) in the same transaction. Query ids are shifted past the workspace's; models
 * are matched by name. Returns the new dataset id.
 */
export function commitStaged(db: Db, staging: Staging, stagedId: number | null, andThen: () => void): number | null {
  staging.db.close();
  db.prepare('ATTACH DATABASE ? AS staging').run(staging.path);
  try {
    // IMMEDIATE: take the write lock up front (waiting out another writer for the busy timeout)
    // rather than fail on upgrading a read lock that another process's commit made stale.
    return db.transaction(() => {
      let id: number | null = null;
      if (stagedId !== null) {
        const row = db.prepare('SELECT name, source, format, content_hash, created_at FROM staging.datasets WHERE id = ?').get(stagedId) as { name: string; source: string; format: string; content_hash: string | null; created_at: string };
        if (db.prepare('SELECT 1 FROM main.datasets WHERE name = ?').get(row.name)) throw new EngineError('CONFLICT', `a dataset named "${row.name}" already exists; choose another name (--name) or delete it first`, { name: row.name });
        // Checked again under the write lock: two imports of the same content racing past the
        // early check must not both land.
        const same = row.content_hash == null ? undefined : (db.prepare('SELECT id, name FROM main.datasets WHERE content_hash = ?').get(row.content_hash) as { id: number; name: string } | undefined);
        if (same) throw new EngineError('CONFLICT', `already imported: dataset "${same.name}" (id ${same.id}) has exactly this content (it landed while this import ran); delete it first to import again`, { datasetId: same.id, name: same.name, contentHash: row.content_hash });
        id = Number(db.prepare('INSERT INTO main.datasets (name, source, format, content_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(row.name, row.source, row.format, row.content_hash, row.created_at).lastInsertRowid);
        db.prepare('INSERT OR IGNORE INTO main.models (name) SELECT name FROM staging.models ORDER BY id').run();
        db.prepare(
          `INSERT INTO main.dataset_models (dataset_id, model_id, position)
           SELECT ?, mm.id, sdm.position FROM staging.dataset_models sdm
             JOIN staging.models sm ON sm.id = sdm.model_id JOIN main.models mm ON mm.name = sm.name
            WHERE sdm.dataset_id = ?`,
        ).run(id, stagedId);
        const offset = (db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM main.queries').get() as { m: number }).m;
        db.prepare(
          `INSERT INTO main.queries (id, dataset_id, ext_id, text, text_hash, task, input_tokens)
           SELECT id + ?, ?, ext_id, text, text_hash, task, input_tokens FROM staging.queries WHERE dataset_id = ? ORDER BY id`,
        ).run(offset, id, stagedId);
        faultPoint('import.commit');
        db.prepare(
          `INSERT INTO main.labels (query_id, model_id, score, input_tokens, output_tokens, cost, n)
           SELECT l.query_id + ?, mm.id, l.score, l.input_tokens, l.output_tokens, l.cost, l.n
             FROM staging.labels l JOIN staging.models sm ON sm.id = l.model_id JOIN main.models mm ON mm.name = sm.name`,
        ).run(offset);
      }
      andThen();
      return id;
    }).immediate();
  } finally {
    db.prepare('DETACH DATABASE staging').run();
  }
}

/** Model names of the staged dataset (a catalog in the same import may name them). */
export function stagedModelNames(staging: Staging): string[] {
  return staging.db.prepare('SELECT name FROM models ORDER BY id').pluck().all() as string[];
}
