import { createHash } from 'node:crypto';
import type { DatasetSummary, ModelAccuracy } from '../../../shared/contract';
import { EngineError } from '../../../shared/errors';
import type { LabelMatrix } from '../data/matrix';
import type { Db } from './database';

// The dataset repository: queries, models and labels. Writers run inside a transaction that the
// caller owns (see transaction.ts), so a failed import leaves no trace.

export interface NewDataset {
  name: string;
  source: string;
  format: string;
  contentHash: string | null;
  createdAt: Date;
}

export interface NewQuery {
  extId: string;
  text: string;
  task: string | null;
  inputTokens: number | null;
}

/** Incremental writer for one dataset; prepared statements, one row per call. */
export interface DatasetWriter {
  readonly datasetId: number;
  /** Column position of a model in this dataset, adding it (in order of first appearance). */
  model(name: string): number;
  readonly modelNames: readonly string[];
  /** Returns the query's row id. Throws SQLITE_CONSTRAINT_UNIQUE on a duplicate extId. */
  addQuery(q: NewQuery): number;
  /** Throws SQLITE_CONSTRAINT_PRIMARYKEY on a duplicate (query, model) pair. */
  addLabel(queryId: number, modelPosition: number, score: number | null, inputTokens: number | null, outputTokens: number | null, cost: number | null): void;
  /** Folds one more label into an existing pair's running mean (n counts the labels merged). */
  mergeLabel(queryId: number, modelPosition: number, score: number | null, inputTokens: number | null, outputTokens: number | null, cost: number | null): void;
}

export const textHash = (text: string): string => createHash('sha1').update(text).digest('hex');

export function findDatasetByHash(db: Db, contentHash: string): { id: number; name: string } | undefined {
  return db.prepare('SELECT id, name FROM datasets WHERE content_hash = ?').get(contentHash) as { id: number; name: string } | undefined;
}

export function findDatasetByName(db: Db, name: string): { id: number } | undefined {
  return db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
}

export function datasetSize(db: Db, id: number): { queries: number; models: number } {
  return db.prepare('SELECT (SELECT COUNT(*) FROM queries WHERE dataset_id = ?) AS queries, (SELECT COUNT(*) FROM dataset_models WHERE dataset_id = ?) AS models').get(id, id) as { queries: number; models: number };
}

/** `base`, or `base (2)`, `base (3)`, ... : the first name no dataset has. */
export function freeDatasetName(db: Db, base: string): string {
  let name = base;
  for (let n = 2; findDatasetByName(db, name); n++) name = `${base} (${n})`;
  return name;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
}

export function beginDataset(db: Db, d: NewDataset): DatasetWriter {
  if (findDatasetByName(db, d.name)) throw new EngineError('CONFLICT', `a dataset named "${d.name}" already exists; choose another name (--name) or delete it first`, { name: d.name });
  const datasetId = Number(
    db.prepare('INSERT INTO datasets (name, source, format, content_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(d.name, d.source, d.format, d.contentHash, d.createdAt.toISOString()).lastInsertRowid,
  );
  const findModel = db.prepare('SELECT id FROM models WHERE name = ?').pluck();
  const insertModel = db.prepare('INSERT INTO models (name) VALUES (?)');
  const linkModel = db.prepare('INSERT INTO dataset_models (dataset_id, model_id, position) VALUES (?, ?, ?)');
  const insertQuery = db.prepare('INSERT INTO queries (dataset_id, ext_id, text, text_hash, task, input_tokens) VALUES (?, ?, ?, ?, ?, ?)');
  const insertLabel = db.prepare('INSERT INTO labels (query_id, model_id, score, input_tokens, output_tokens, cost) VALUES (?, ?, ?, ?, ?, ?)');
  // A missing value (NULL) on either side takes the other; token counts stay whole numbers.
  const mean = (col: string, round: boolean) => {
    const m = `(${col} * n + ?) / (n + 1.0)`;
    return `${col} = CASE WHEN ? IS NULL THEN ${col} WHEN ${col} IS NULL THEN ? ELSE ${round ? `CAST(ROUND(${m}) AS INTEGER)` : m} END`;
  };
  const mergeLabel = db.prepare(`UPDATE labels SET ${mean('score', false)}, ${mean('input_tokens', true)}, ${mean('output_tokens', true)}, ${mean('cost', false)}, n = n + 1 WHERE query_id = ? AND model_id = ?`);
  const positions = new Map<string, number>();
  const modelIds: number[] = [];
  const modelNames: string[] = [];
  return {
    datasetId,
    modelNames,
    model(name) {
      const known = positions.get(name);
      if (known !== undefined) return known;
      const id = (findModel.get(name) as number | undefined) ?? Number(insertModel.run(name).lastInsertRowid);
      const position = modelIds.length;
      linkModel.run(datasetId, id, position);
      positions.set(name, position);
      modelIds.push(id);
      modelNames.push(name);
      return position;
    },
    addQuery(q) {
      return Number(insertQuery.run(datasetId, q.extId, q.text, textHash(q.text), q.task, q.inputTokens).lastInsertRowid);
    },
    addLabel(queryId, modelPosition, score, inputTokens, outputTokens, cost) {
      insertLabel.run(queryId, modelIds[modelPosition], score, inputTokens, outputTokens, cost);
    },
    mergeLabel(queryId, modelPosition, score, inputTokens, outputTokens, cost) {
      const v = (x: number | null) => [x, x, x];
      mergeLabel.run(...v(score), ...v(inputTokens), ...v(outputTokens), ...v(cost), queryId, modelIds[modelPosition]);
    },
  };
}

export function datasetSummaries(db: Db): DatasetSummary[] {
  const rows = db.prepare('SELECT id, name, source, format, created_at AS createdAt, (SELECT COUNT(*) FROM queries q WHERE q.dataset_id = d.id) AS queries FROM datasets d ORDER BY id').all() as Omit<DatasetSummary, 'models'>[];
  const perModel = db.prepare(
    `SELECT m.name AS model, s.accuracy, COALESCE(s.labelled, 0) AS labelled, s.meanCost
       FROM dataset_models dm JOIN models m ON m.id = dm.model_id
       LEFT JOIN (SELECT l.model_id, AVG(l.score) AS accuracy, COUNT(l.score) AS labelled, AVG(l.cost) AS meanCost
                    FROM queries q JOIN labels l ON l.query_id = q.id
                   WHERE q.dataset_id = ? GROUP BY l.model_id) s ON s.model_id = dm.model_id
      WHERE dm.dataset_id = ? ORDER BY dm.position`,
  );
  return rows.map((r) => ({ ...r, models: perModel.all(r.id, r.id) as ModelAccuracy[] }));
}

/** Deletes a dataset with its queries, labels and everything derived from it (cascades). */
export function deleteDataset(db: Db, id: number): boolean {
  return db.transaction(() => {
    const deleted = db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0;
    // Models that nothing refers to any more go too; catalogued models stay.
    db.prepare(
      `DELETE FROM models WHERE id NOT IN (SELECT model_id FROM dataset_models)
         AND id NOT IN (SELECT model_id FROM catalog) AND id NOT IN (SELECT model_id FROM deployments)`,
    ).run();
    return deleted;
  })();
}

/** A dataset as N x K typed arrays: queries in import order, models in file order. */
export function loadLabelMatrix(db: Db, datasetId: number): LabelMatrix {
  const exists = db.prepare('SELECT 1 FROM datasets WHERE id = ?').get(datasetId);
  if (!exists) throw new EngineError('NOT_FOUND', `no dataset with id ${datasetId}`, { datasetId });
  const models = db.prepare('SELECT m.id, m.name FROM dataset_models dm JOIN models m ON m.id = dm.model_id WHERE dm.dataset_id = ? ORDER BY dm.position').all(datasetId) as { id: number; name: string }[];
  const column = new Map(models.map((m, j) => [m.id, j]));
  const k = models.length;
  const queryIds: string[] = [];
  const texts: string[] = [];
  const tasks: (string | null)[] = [];
  const queryInputTokens: (number | null)[] = [];
  const row = new Map<number, number>();
  for (const [id, extId, text, task, inputTokens] of db.prepare('SELECT id, ext_id, text, task, input_tokens FROM queries WHERE dataset_id = ? ORDER BY id').raw().iterate(datasetId) as Iterable<[number, string, string, string | null, number | null]>) {
    row.set(id, texts.length);
    queryIds.push(extId);
    texts.push(text);
    tasks.push(task);
    queryInputTokens.push(inputTokens);
  }
  const n = texts.length;
  const scores = new Float32Array(n * k).fill(NaN);
  const costs = new Float64Array(n * k).fill(NaN);
  const inputTokens = new Float64Array(n * k).fill(NaN);
  const outputTokens = new Float64Array(n * k).fill(NaN);
  const labels = db.prepare('SELECT l.query_id, l.model_id, l.score, l.input_tokens, l.output_tokens, l.cost FROM queries q JOIN labels l ON l.query_id = q.id WHERE q.dataset_id = ?').raw();
  for (const [qid, mid, score, inTok, outTok, cost] of labels.iterate(datasetId) as Iterable<[number, number, number | null, number | null, number | null, number | null]>) {
    const i = row.get(qid)!;
    const at = i * k + column.get(mid)!;
    if (score !== null) scores[at] = score;
    if (cost !== null) costs[at] = cost;
    const inputs = inTok ?? queryInputTokens[i];
    if (inputs !== null) inputTokens[at] = inputs;
    if (outTok !== null) outputTokens[at] = outTok;
  }
  return { datasetId, models: models.map((m) => m.name), queryIds, texts, tasks, scores, costs, inputTokens, outputTokens };
}

export function loadLabelMatrixByName(db: Db, name: string): LabelMatrix {
  const found = findDatasetByName(db, name);
  if (!found) throw new EngineError('NOT_FOUND', `no dataset named "${name}"`, { name });
  return loadLabelMatrix(db, found.id);
}
