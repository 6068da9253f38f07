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

/** A policy's row without its body (which can be tens of MB): for lists, and to look a body up in a cache. */
export interface PolicyHead {
  id: number;
  name: string;
  formatVersion: number;
  contentHash: string;
  createdAt: string;
  /** Characters of the body. */
  bytes: number;
}

export function listPolicyHeads(db: Db): PolicyHead[] {
  return db.prepare('SELECT id, name, format_version AS formatVersion, content_hash AS contentHash, created_at AS createdAt, length(body) AS bytes FROM policies ORDER BY id').all() as PolicyHead[];
}

export function deletePolicy(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM policies WHERE id = ?').run(id).changes > 0;
}
