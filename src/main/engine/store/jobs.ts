import type { Db } from './database';
import { processStartTime, processStillRunning } from '../jobs/process-identity';

/** The jobs journal: a crash leaves rows in 'running' whose process is gone; open() marks them. */
export function recordJobStart(db: Db, id: string, method: string, input: unknown, now: Date): void {
  db.prepare('INSERT INTO jobs (id, method, state, input, pid, pid_start, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, method, 'running', JSON.stringify(input ?? null), process.pid, processStartTime(process.pid), now.toISOString());
}

export function recordJobEnd(db: Db, id: string, state: 'done' | 'failed' | 'cancelled', error: string | null, now: Date): void {
  db.prepare('UPDATE jobs SET state = ?, error = ?, ended_at = ? WHERE id = ?').run(state, error, now.toISOString(), id);
}

export function markInterruptedJobs(db: Db, now: Date): number {
  const rows = db.prepare("SELECT id, pid, pid_start FROM jobs WHERE state = 'running'").all() as { id: string; pid: number; pid_start: string | null }[];
  const dead = rows.filter((r) => r.pid === process.pid || !processStillRunning(r.pid, r.pid_start));
  const mark = db.prepare("UPDATE jobs SET state = 'interrupted', ended_at = ? WHERE id = ?");
  db.transaction(() => dead.forEach((r) => mark.run(now.toISOString(), r.id)))();
  return dead.length;
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
