import type { Db } from './database';

// The faces' remembered choices (last dataset, predictor, form values) live in the workspace's meta
// table under this prefix, so that they follow the workspace across restarts and machines.
const prefix = 'ui:';

export function readSettings(db: Db): Record<string, unknown> {
  const rows = db.prepare('SELECT key, value FROM meta WHERE key LIKE ?').all(`${prefix}%`) as { key: string; value: string }[];
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    try {
      out[r.key.slice(prefix.length)] = JSON.parse(r.value);
    } catch {
      /* a value written by hand that is not JSON: ignored, the face falls back to its default */
    }
  }
  return out;
}

export function writeSetting(db: Db, key: string, value: unknown): void {
  if (value === null) db.prepare('DELETE FROM meta WHERE key = ?').run(prefix + key);
  else db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(prefix + key, JSON.stringify(value));
}
