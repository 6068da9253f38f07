import type { Db } from './database';

// The policies table: the signed policy file text, its format version and content hash.
export interface PolicyRecord {
  id: number;
  name: string;
  formatVersion: number;
  contentHash: string;
  body: string;
  createdAt: string;
}

export function insertPolicy(db: Db, p: Omit<PolicyRecord, 'id'>): number {
  const r = db.prepare('INSERT INTO policies (name, format_version, content_hash, body, created_at) VALUES (?, ?, ?, ?, ?)').run(p.name, p.formatVersion, p.contentHash, p.body, p.createdAt);
  return Number(r.lastInsertRowid);
}

export function getPolicy(db: Db, id: number): PolicyRecord | undefined {
  return db.prepare('SELECT id, name, format_version AS formatVersion, content_hash AS contentHash, body, created_at AS createdAt FROM policies WHERE id = ?').get(id) as PolicyRecord | undefined;
}

export function listPolicies(db: Db): PolicyRecord[] {
  return db.prepare('SELECT id, name, format_version AS formatVersion, content_hash AS contentHash, body, created_at AS createdAt FROM policies ORDER BY id').all() as PolicyRecord[];
}

export function deletePolicy(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM policies WHERE id = ?').run(id).changes > 0;
}
