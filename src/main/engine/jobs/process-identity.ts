import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A process is its pid plus its start time: pids are reused, so a journal row or a staging folder
 * left by a killed process must not be taken for the live stranger that later got the same pid.
 * The start time is the kernel's (Linux /proc/<pid>/stat field 22, clock ticks since boot); where
 * there is no /proc it is null and only the pid is compared.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after it follow the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process that recorded (pid, startTime) still runs; a reused pid with another start time does not count. */
export function processStillRunning(pid: number, startTime: string | null): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return false;
  if (startTime == null) return true;
  const now = processStartTime(pid);
  return now == null || now === startTime;
}

/** This process's identity as one token for file names: `<pid>-<start time>`. */
export function ownProcessTag(): string {
  return `${process.pid}-${processStartTime(process.pid) ?? 'x'}`;
}

/** Whether a `<pid>-<start>` tag names a process that is gone. */
export function processTagGone(tag: string): boolean {
  const m = /^(\d+)-(\d+|x)$/.exec(tag);
  if (!m) return false;
  return !processStillRunning(Number(m[1]), m[2] === 'x' ? null : m[2]);
}

/**
 * Removes the folders `<prefix><pid>-<start>-…` in dir whose process is gone (killed: no exit path
 * ran). The tag is ownProcessTag()'s, so a reused pid does not keep debris alive. Returns how many.
 */
export function sweepFoldersOfGoneProcesses(dir: string, prefix: string): number {
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+-(?:\\d+|x))-`);
  let swept = 0;
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const e of entries) {
    const m = pattern.exec(e);
    if (m && processTagGone(m[1])) {
      rmSync(join(dir, e), { recursive: true, force: true });
      swept++;
    }
  }
  return swept;
}
