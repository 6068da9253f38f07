import type { Db } from './database';

/** The jobs journal: a crash leaves rows in 'running' whose process is gone; open() marks them. */
export function recordJobStart(db: Db, id: string, method: string, input: unknown, now: Date): void {
  db.prepare('INSERT INTO jobs (id, method, state, input, pid, started_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, method, 'running', JSON.stringify(input ?? null), process.pid, now.toISOString());
}

export function recordJobEnd(db: Db, id: string, state: 'done' | 'failed' | 'cancelled', error: string | null, now: Date): void {
  db.prepare('UPDATE jobs SET state = ?, error = ?, ended_at = ? WHERE id = ?').run(state, error, now.toISOString(), id);
}

export function markInterruptedJobs(db: Db, now: Date): number {
  const rows = db.prepare("SELECT id, pid FROM jobs WHERE state = 'running'").all() as { id: string; pid: number }[];
  const dead = rows.filter((r) => r.pid === process.pid || !processAlive(r.pid));
  const mark = db.prepare("UPDATE jobs SET state = 'interrupted', ended_at = ? WHERE id = ?");
  db.transaction(() => dead.forEach((r) => mark.run(now.toISOString(), r.id)))();
  return dead.length;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface InterruptedJob {
  jobId: string;
  method: string;
  startedAt: number;
  endedAt: number | null;
}

/** Journal rows of jobs a stopped process left unfinished, newest first, so that a face can show them. */
export function interruptedJobs(db: Db, limit: number): InterruptedJob[] {
  const rows = db.prepare("SELECT id, method, started_at, ended_at FROM jobs WHERE state = 'interrupted' ORDER BY started_at DESC LIMIT ?").all(limit) as { id: string; method: string; started_at: string; ended_at: string | null }[];
  return rows.map((r) => ({ jobId: r.id, method: r.method, startedAt: Date.parse(r.started_at), endedAt: r.ended_at ? Date.parse(r.ended_at) : null }));
}
