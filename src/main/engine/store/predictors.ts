import type { Db } from './database';
import { faultPoint } from '../jobs/fault-point';

// The predictor tables: one row per fitted predictor (its full spec as the state) and its
// calibration record. Written in one transaction so a cancelled or killed training leaves nothing.
export interface NewPredictor {
  datasetId: number;
  name: string;
  featurizer: string;
  estimator: string;
  settings: unknown;
  split: unknown;
  spec: unknown;
  metrics: unknown;
  calibration: { state: unknown; metrics: unknown };
  createdAt: Date;
}

export type PredictorRow = Omit<NewPredictor, 'spec' | 'calibration' | 'createdAt'> & { id: number; createdAt: string };

export function insertPredictor(db: Db, p: NewPredictor): number {
  return db.transaction(() => {
    const at = p.createdAt.toISOString();
    const { lastInsertRowid } = db
      .prepare('INSERT INTO predictors (dataset_id, name, featurizer, estimator, settings, split, state, metrics, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(p.datasetId, p.name, p.featurizer, p.estimator, JSON.stringify(p.settings), JSON.stringify(p.split), Buffer.from(JSON.stringify(p.spec)), JSON.stringify(p.metrics), at);
    const id = Number(lastInsertRowid);
    faultPoint('train.insert');
    db.prepare('INSERT INTO calibrations (predictor_id, state, metrics, created_at) VALUES (?, ?, ?, ?)').run(id, JSON.stringify(p.calibration.state), JSON.stringify(p.calibration.metrics), at);
    return id;
  })();
}

type RawRow = { id: number; dataset_id: number; name: string; featurizer: string; estimator: string; settings: string; split: string; metrics: string | null; created_at: string };

const toRow = (r: RawRow): PredictorRow => ({
  id: r.id,
  datasetId: r.dataset_id,
  name: r.name,
  featurizer: r.featurizer,
  estimator: r.estimator,
  settings: JSON.parse(r.settings),
  split: JSON.parse(r.split),
  metrics: r.metrics ? JSON.parse(r.metrics) : null,
  createdAt: r.created_at,
});

export function listPredictors(db: Db): PredictorRow[] {
  const rows = db.prepare('SELECT id, dataset_id, name, featurizer, estimator, settings, split, metrics, created_at FROM predictors ORDER BY id').all() as RawRow[];
  return rows.map(toRow);
}

export function getPredictorRow(db: Db, id: number): PredictorRow | undefined {
  const r = db.prepare('SELECT id, dataset_id, name, featurizer, estimator, settings, split, metrics, created_at FROM predictors WHERE id = ?').get(id) as RawRow | undefined;
  return r && toRow(r);
}

export function getPredictorSpec(db: Db, id: number): unknown | undefined {
  const state = getPredictorState(db, id);
  return state && JSON.parse(state.toString('utf8'));
}

/** The spec as stored (UTF-8 JSON): a kNN spec is tens of MB, so callers may parse it in a worker. */
export function getPredictorState(db: Db, id: number): Buffer | undefined {
  return (db.prepare('SELECT state FROM predictors WHERE id = ?').get(id) as { state: Buffer } | undefined)?.state;
}

export function deletePredictor(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM predictors WHERE id = ?').run(id).changes > 0;
}

/** Cached feature rows by (featuriser key, text hash); missing hashes are absent from the map. */
export function getCachedFeatures(db: Db, featurizer: string, hashes: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const stmt = db.prepare('SELECT data FROM feature_cache WHERE featurizer = ? AND text_hash = ?');
  for (const h of hashes) {
    const r = stmt.get(featurizer, h) as { data: Buffer } | undefined;
    if (r) out.set(h, r.data);
  }
  return out;
}

export function putCachedFeatures(db: Db, featurizer: string, rows: [hash: string, data: Buffer][]): void {
  const stmt = db.prepare('INSERT OR REPLACE INTO feature_cache (featurizer, text_hash, data) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const [h, d] of rows) stmt.run(featurizer, h, d);
  })();
}
