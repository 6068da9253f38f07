import { EngineError } from '../../../shared/errors';
import type { DemandSummary } from '../demand/types';
import type { Db } from './database';
import type { Staging } from './staging';

// The demand repository: one row per trace or profile, a trace's minutes (summaries) and their
// requests (typed-array BLOBs). Writers run inside a transaction the caller owns.

export interface DemandRow {
  id: number;
  name: string;
  kind: 'trace' | 'profile';
  format: string;
  source: string;
  contentHash: string | null;
  startIso: string | null;
  spanS: number;
  requests: number;
  createdAt: string;
  /** The rest of DemandSummary (statistics, import report, profile), stored as JSON. */
  summary: Omit<DemandSummary, 'id' | 'name' | 'kind' | 'format' | 'source' | 'startIso' | 'spanS' | 'requests' | 'createdAt' | 'models' | 'tasks' | 'tenants'> & { lengths?: PooledLengths };
  labels: DemandLabels;
}

/** A trace's token lengths over all its requests (a profile may borrow them). */
export interface PooledLengths {
  histInput: number[];
  histOutput: number[];
  joint: number[];
}

export interface DemandLabels {
  models: string[];
  tasks: string[];
  tenants: string[];
}

export interface MinuteSummary {
  minute: number;
  count: number;
  sumInput: number;
  sumOutput: number;
  histInput: Uint32Array;
  histOutput: Uint32Array;
  joint: Uint32Array;
}

export interface MinuteRequests {
  minute: number;
  offsetsUs: Uint32Array; // sorted, microseconds from the minute's start
  inputTokens: Uint32Array;
  outputTokens: Uint32Array;
  model: Uint16Array | null; // label indices (0xffff: none)
  task: Uint16Array | null;
  tenant: Uint16Array | null;
}

export const NO_LABEL = 0xffff;

const blob = (a: ArrayBufferView | null) => (a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : null);

/** A copy (BLOBs need not be aligned for a typed-array view). */
function u32(b: Buffer): Uint32Array {
  const out = new Uint32Array(b.byteLength >>> 2);
  new Uint8Array(out.buffer).set(b.subarray(0, out.byteLength));
  return out;
}
function u16(b: Buffer | null): Uint16Array | null {
  if (!b) return null;
  const out = new Uint16Array(b.byteLength >>> 1);
  new Uint8Array(out.buffer).set(b.subarray(0, out.byteLength));
  return out;
}

export function findDemandByName(db: Db, name: string): { id: number } | undefined {
  return db.prepare('SELECT id FROM demands WHERE name = ?').get(name) as { id: number } | undefined;
}

export function findDemandByHash(db: Db, hash: string): { id: number; name: string } | undefined {
  return db.prepare('SELECT id, name FROM demands WHERE content_hash = ?').get(hash) as { id: number; name: string } | undefined;
}

/** `base`, or `base (2)`, ...: the first name no demand has. */
export function freeDemandName(db: Db, base: string): string {
  let name = base;
  for (let n = 2; findDemandByName(db, name); n++) name = `${base} (${n})`;
  return name;
}

export function insertDemand(db: Db, d: Omit<DemandRow, 'id'>): number {
  if (findDemandByName(db, d.name)) throw new EngineError('CONFLICT', `a demand named "${d.name}" already exists; choose another name (--name) or delete it first`, { name: d.name });
  return Number(
    db
      .prepare('INSERT INTO demands (name, kind, format, source, content_hash, start_iso, span_s, requests, summary, labels, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(d.name, d.kind, d.format, d.source, d.contentHash, d.startIso, d.spanS, d.requests, JSON.stringify(d.summary), JSON.stringify(d.labels), d.createdAt).lastInsertRowid,
  );
}

export function updateDemand(db: Db, id: number, d: Pick<DemandRow, 'startIso' | 'spanS' | 'requests' | 'summary' | 'labels'>): void {
  db.prepare('UPDATE demands SET start_iso = ?, span_s = ?, requests = ?, summary = ?, labels = ? WHERE id = ?').run(d.startIso, d.spanS, d.requests, JSON.stringify(d.summary), JSON.stringify(d.labels), id);
}

/** Prepared inserts of one demand's minutes. */
export function minuteWriter(db: Db, demandId: number): (s: MinuteSummary, r: MinuteRequests) => void {
  const sum = db.prepare('INSERT INTO demand_minutes (demand_id, minute, count, sum_input, sum_output, hist_input, hist_output, joint) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const req = db.prepare('INSERT INTO demand_requests (demand_id, minute, offsets_us, input_tokens, output_tokens, model, task, tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  return (s, r) => {
    sum.run(demandId, s.minute, s.count, s.sumInput, s.sumOutput, blob(s.histInput), blob(s.histOutput), blob(s.joint));
    req.run(demandId, r.minute, blob(r.offsetsUs), blob(r.inputTokens), blob(r.outputTokens), blob(r.model), blob(r.task), blob(r.tenant));
  };
}

interface RawDemand {
  id: number;
  name: string;
  kind: 'trace' | 'profile';
  format: string;
  source: string;
  content_hash: string | null;
  start_iso: string | null;
  span_s: number;
  requests: number;
  summary: string;
  labels: string | null;
  created_at: string;
}

function rowOf(r: RawDemand): DemandRow {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    format: r.format,
    source: r.source,
    contentHash: r.content_hash,
    startIso: r.start_iso,
    spanS: r.span_s,
    requests: r.requests,
    createdAt: r.created_at,
    summary: JSON.parse(r.summary),
    labels: r.labels ? JSON.parse(r.labels) : { models: [], tasks: [], tenants: [] },
  };
}

export function getDemand(db: Db, id: number): DemandRow {
  const r = db.prepare('SELECT * FROM demands WHERE id = ?').get(id) as RawDemand | undefined;
  if (!r) throw new EngineError('NOT_FOUND', `no demand with id ${id}; list them with \`routeplan demand list\``, { id });
  return rowOf(r);
}

export function latestDemandId(db: Db): number {
  const id = db.prepare('SELECT MAX(id) FROM demands').pluck().get() as number | null;
  if (id == null) throw new EngineError('NOT_FOUND', 'the workspace holds no demand; import a trace with `routeplan demand import FILE` or create a profile with `routeplan demand profile`');
  return id;
}

export function listDemands(db: Db): DemandRow[] {
  return (db.prepare('SELECT * FROM demands ORDER BY id').all() as RawDemand[]).map(rowOf);
}

export function deleteDemand(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM demands WHERE id = ?').run(id).changes > 0;
}

export function* minuteSummaries(db: Db, demandId: number): Generator<MinuteSummary> {
  const rows = db.prepare('SELECT minute, count, sum_input, sum_output, hist_input, hist_output, joint FROM demand_minutes WHERE demand_id = ? ORDER BY minute').raw().iterate(demandId) as IterableIterator<[number, number, number, number, Buffer, Buffer, Buffer]>;
  for (const [minute, count, sumInput, sumOutput, hi, ho, j] of rows) yield { minute, count, sumInput, sumOutput, histInput: u32(hi), histOutput: u32(ho), joint: u32(j) };
}

/** Requests of the minutes in [fromMinute, toMinute], in order. */
export function* minuteRequests(db: Db, demandId: number, fromMinute: number, toMinute: number): Generator<MinuteRequests> {
  const rows = db.prepare('SELECT minute, offsets_us, input_tokens, output_tokens, model, task, tenant FROM demand_requests WHERE demand_id = ? AND minute BETWEEN ? AND ? ORDER BY minute').raw().iterate(demandId, fromMinute, toMinute) as IterableIterator<[number, Buffer, Buffer, Buffer, Buffer | null, Buffer | null, Buffer | null]>;
  for (const [minute, o, i, out, m, t, te] of rows) yield { minute, offsetsUs: u32(o), inputTokens: u32(i), outputTokens: u32(out), model: u16(m), task: u16(t), tenant: u16(te) };
}

/** Copies one staged demand into the workspace in one synchronous transaction; returns its id. */
export function commitStagedDemand(db: Db, staging: Staging, stagedId: number): number {
  staging.db.close();
  db.prepare('ATTACH DATABASE ? AS staging').run(staging.path);
  try {
    return db
      .transaction(() => {
        const row = db.prepare('SELECT name FROM staging.demands WHERE id = ?').get(stagedId) as { name: string };
        if (findDemandByName(db, row.name)) throw new EngineError('CONFLICT', `a demand named "${row.name}" already exists; choose another name (--name) or delete it first`, { name: row.name });
        const id = Number(
          db.prepare('INSERT INTO main.demands (name, kind, format, source, content_hash, start_iso, span_s, requests, summary, labels, created_at) SELECT name, kind, format, source, content_hash, start_iso, span_s, requests, summary, labels, created_at FROM staging.demands WHERE id = ?').run(stagedId).lastInsertRowid,
        );
        db.prepare('INSERT INTO main.demand_minutes SELECT ?, minute, count, sum_input, sum_output, hist_input, hist_output, joint FROM staging.demand_minutes WHERE demand_id = ? ORDER BY minute').run(id, stagedId);
        db.prepare('INSERT INTO main.demand_requests (demand_id, minute, offsets_us, input_tokens, output_tokens, model, task, tenant) SELECT ?, minute, offsets_us, input_tokens, output_tokens, model, task, tenant FROM staging.demand_requests WHERE demand_id = ? ORDER BY minute').run(id, stagedId);
        return id;
      })
      .immediate();
  } finally {
    db.prepare('DETACH DATABASE staging').run();
  }
}
