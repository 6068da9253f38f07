import { normalName, type CellAt } from './values';
import { fileError } from '../../../shared/errors';
import { textHash, type DatasetWriter, type NewQuery } from '../store/datasets';
import type { JobContext } from '../jobs/context';

export interface ImportStats {
  rows: number;
  queries: number;
  labels: number;
  missingLabels: number;
  /** Repeated query/model pairs met under --on-duplicate first | mean | separate. */
  duplicatePairs: number;
}

/**
 * A query/model pair labelled twice (the same prompt in two splits, several samples per prompt):
 * refuse (the default: name both rows), keep the first label, fold them into their mean (the
 * count kept in labels.n), or keep each occurrence as a query of its own ("<id>#2", ...).
 */
export type DuplicatePolicy = 'refuse' | 'first' | 'mean' | 'separate';

interface QueryRef {
  id: number;
  file: string;
  row: number;
  fingerprint: number; // of the text, to catch one id used for two different questions
}

/** FNV-1a over UTF-16 code units: cheap, and enough to tell two texts of one id apart. */
function fingerprint(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const isConstraint = (err: unknown, kind: string) => (err as { code?: string })?.code === `SQLITE_CONSTRAINT_${kind}`;

/**
 * Feeds one dataset from one or more files: keeps the query keys so that rows of the same query
 * meet (long CSV), and turns store constraint failures into errors that name the file and row.
 */
export class DatasetBuilder {
  readonly stats: ImportStats = { rows: 0, queries: 0, labels: 0, missingLabels: 0, duplicatePairs: 0 };
  private readonly byKey = new Map<string, QueryRef>();
  private readonly idUses = new Map<string, number>();
  // --on-duplicate separate: every occurrence of a query, by the id of its first
  private readonly occurrences = new Map<number, { q: NewQuery; ids: number[] }>();
  private readonly repeats = new Set<number>(); // queries that repeat an earlier one (wide, separate)
  private sinceCheck = 0;

  constructor(
    readonly writer: DatasetWriter,
    private readonly ctx: JobContext,
    private readonly onDuplicate: DuplicatePolicy = 'refuse',
  ) {}

  /** A model's column, by its normalised name (values.ts normalName: trim, NFC, case kept). */
  model(name: string, at?: CellAt): number {
    return this.writer.model(normalName(name, at ?? null, 'model name'));
  }

  /**
   * A query that must be new (wide CSV, JSON). Identity is (id, text): the same id with the same
   * text again is a duplicate and fails naming both rows; the same id with another text is another
   * query (RouterBench reuses a few sample_ids) and gets the id "<id>#2".
   */
  newQuery(file: string, row: number, column: string, q: NewQuery): number {
    const key = `${q.extId}\u0000${textHash(q.text)}`;
    const seen = this.byKey.get(key);
    if (seen && this.onDuplicate === 'refuse') throw fileError(file, row, column, `duplicate query "${clip(q.extId)}" (same id and text): it already appeared at ${seen.file === file ? '' : `${seen.file}, `}row ${seen.row} (--on-duplicate first | mean | separate to keep such rows)`, { firstRow: seen.row });
    // first / mean: the row's labels meet the first row's in label(); separate: a query of its own
    if (seen && this.onDuplicate !== 'separate') return seen.id;
    const uses = (this.idUses.get(q.extId) ?? 0) + 1;
    this.idUses.set(q.extId, uses);
    const id = this.insertQuery(file, row, column, key, uses === 1 ? q : { ...q, extId: `${q.extId}#${uses}` });
    if (seen) this.repeats.add(id);
    return id;
  }

  /** The query for a key, created on first sight (long CSV: one row per query x model). */
  queryFor(file: string, row: number, column: string, key: string, text: string, make: () => NewQuery): number {
    const seen = this.byKey.get(key);
    if (!seen) return this.insertQuery(file, row, column, key, make());
    if (seen.fingerprint !== fingerprint(text)) {
      throw fileError(file, row, column, `query id "${clip(key)}" comes with another question text than at ${seen.file === file ? '' : `${seen.file}, `}row ${seen.row}`, { firstRow: seen.row });
    }
    return seen.id;
  }

  private insertQuery(file: string, row: number, column: string, key: string, q: NewQuery): number {
    let id: number;
    try {
      id = this.writer.addQuery(q);
    } catch (err) {
      if (isConstraint(err, 'UNIQUE')) throw fileError(file, row, column, `duplicate query id "${clip(q.extId)}"`);
      throw err;
    }
    if (!this.byKey.has(key)) this.byKey.set(key, { id, file, row, fingerprint: fingerprint(q.text) });
    if (this.onDuplicate === 'separate') this.occurrences.set(id, { q, ids: [id] });
    this.stats.queries++;
    return id;
  }

  /** --on-duplicate separate: the first occurrence of query `first` without a label for `model`. */
  private occurrenceFor(file: string, row: number, column: string, first: number, model: number, put: (queryId: number) => void): void {
    const occ = this.occurrences.get(first)!;
    for (const id of occ.ids.slice(1)) {
      try {
        return put(id);
      } catch (err) {
        if (!isConstraint(err, 'PRIMARYKEY')) throw err;
      }
    }
    const id = this.insertQuery(file, row, column, `\u0001${first}#${occ.ids.length + 1}`, { ...occ.q, extId: `${occ.q.extId}#${occ.ids.length + 1}` });
    this.occurrences.delete(id);
    occ.ids.push(id);
    put(id);
  }

  label(file: string, row: number, column: string, queryId: number, model: number, score: number | null, inputTokens: number | null, outputTokens: number | null, cost: number | null): void {
    try {
      this.writer.addLabel(queryId, model, score, inputTokens, outputTokens, cost);
    } catch (err) {
      if (!isConstraint(err, 'PRIMARYKEY')) throw err;
      if (this.onDuplicate === 'refuse') {
        throw fileError(file, row, column, `duplicate query/model pair: this query already has a label for model "${this.writer.modelNames[model]}" (--on-duplicate first | mean | separate to keep such rows)`, { model: this.writer.modelNames[model] });
      }
      this.stats.duplicatePairs++;
      if (this.onDuplicate === 'first') return;
      if (this.onDuplicate === 'mean') {
        this.writer.mergeLabel(queryId, model, score, inputTokens, outputTokens, cost);
        return;
      }
      this.occurrenceFor(file, row, column, queryId, model, (id) => this.writer.addLabel(id, model, score, inputTokens, outputTokens, cost));
    }
    this.stats.labels++;
    if (score === null) this.stats.missingLabels++;
    if (this.repeats.has(queryId)) this.stats.duplicatePairs++;
  }

  /** Counts a row; checks for cancellation every 4096 rows. */
  rowDone(): void {
    this.stats.rows++;
    if (++this.sinceCheck >= 4096) {
      this.sinceCheck = 0;
      this.ctx.check();
    }
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
