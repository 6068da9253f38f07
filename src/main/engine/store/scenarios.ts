// Saved what-if and allocation scenarios (the `scenarios` table): input and result as JSON.
import type { ScenarioRecord } from '../../../shared/contract/allocation';
import type { Db } from './database';
import { faultPoint } from '../jobs/fault-point';

interface Row {
  id: number;
  name: string;
  kind: string;
  input: string;
  result: string | null;
  created_at: string;
}

const toRecord = (r: Row): ScenarioRecord => ({ id: r.id, name: r.name, kind: r.kind, input: JSON.parse(r.input), result: r.result == null ? null : JSON.parse(r.result), createdAt: r.created_at });

/** Saves a scenario under its name, replacing one of the same name. */
export function saveScenario(db: Db, s: { name: string; kind: string; input: unknown; result?: unknown }, now: Date): ScenarioRecord {
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO scenarios (name, kind, input, result, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, input = excluded.input, result = excluded.result, created_at = excluded.created_at`,
    ).run(s.name, s.kind, JSON.stringify(s.input ?? null), s.result === undefined ? null : JSON.stringify(s.result), now.toISOString());
    faultPoint('scenario.save');
    return getScenario(db, s.name)!;
  }).immediate();
}

export function getScenario(db: Db, name: string): ScenarioRecord | undefined {
  const r = db.prepare('SELECT * FROM scenarios WHERE name = ?').get(name) as Row | undefined;
  return r && toRecord(r);
}

export function listScenarios(db: Db, kind?: string): ScenarioRecord[] {
  const rows = (kind ? db.prepare('SELECT * FROM scenarios WHERE kind = ? ORDER BY name').all(kind) : db.prepare('SELECT * FROM scenarios ORDER BY name').all()) as Row[];
  return rows.map(toRecord);
}

export function deleteScenario(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM scenarios WHERE name = ?').run(name).changes > 0;
}
