// The evaluations table: one row per evaluation run (settings and frontier rows as JSON).
import { EngineError } from '../../../shared/errors';
import type { EvaluationResult, EvaluationSettings } from '../../../shared/contract/routing';
import type { Db } from './database';

export function insertEvaluation(db: Db, e: { predictorId: number | null; datasetId: number | null; settings: EvaluationSettings; result: Omit<EvaluationResult, 'id'>; createdAt: Date }): number {
  const info = db
    .prepare('INSERT INTO evaluations (predictor_id, dataset_id, settings, result, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(e.predictorId, e.datasetId, JSON.stringify(e.settings), JSON.stringify(e.result), e.createdAt.toISOString());
  return Number(info.lastInsertRowid);
}

export function listEvaluations(db: Db): { id: number; predictorId: number | null; datasetId: number | null; createdAt: string; settings: EvaluationSettings }[] {
  const rows = db.prepare('SELECT id, predictor_id, dataset_id, settings, created_at FROM evaluations ORDER BY id').all() as { id: number; predictor_id: number | null; dataset_id: number | null; settings: string; created_at: string }[];
  return rows.map((r) => ({ id: r.id, predictorId: r.predictor_id, datasetId: r.dataset_id, createdAt: r.created_at, settings: JSON.parse(r.settings) }));
}

export function getEvaluation(db: Db, id: number): EvaluationResult {
  const row = db.prepare('SELECT result FROM evaluations WHERE id = ?').get(id) as { result: string } | undefined;
  if (!row) throw new EngineError('NOT_FOUND', `no evaluation with id ${id}`, { id });
  return { ...JSON.parse(row.result), id };
}
