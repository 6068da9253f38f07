import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The address a workspace was last served at (port and access token), kept so that `routeplan
 * serve` started again on the same workspace listens where it did before: an open page then finds
 * its server again by itself (its event stream retries) instead of needing the new address.
 *
 * Safe because the file is the user's own (mode 0600, in the user's app-data folder, like
 * Jupyter's runtime files): whoever can read it could already open the workspace itself. Only used
 * when neither --port nor --token is given; a port taken by something else means a fresh one.
 */
export interface ServeSession {
  port: number;
  token: string;
}

type Sessions = Record<string, ServeSession & { savedAt: string }>;

export function sessionsFile(appData: string): string {
  return join(appData, 'serve-sessions.json');
}

function read(file: string): Sessions {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Sessions) : {};
  } catch {
    return {};
  }
}

export function lastSession(file: string, workspace: string): ServeSession | null {
  const s = read(file)[resolve(workspace)];
  return s && Number.isInteger(s.port) && s.port > 0 && s.port < 65536 && typeof s.token === 'string' && s.token.length >= 24 ? { port: s.port, token: s.token } : null;
}

export function saveSession(file: string, workspace: string, session: ServeSession, now = new Date()): void {
  const all = read(file);
  all[resolve(workspace)] = { ...session, savedAt: now.toISOString() };
  // The 20 most recent workspaces are plenty; the file never grows without bound.
  const kept = Object.fromEntries(Object.entries(all).sort((a, b) => b[1].savedAt.localeCompare(a[1].savedAt)).slice(0, 20));
  if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(kept, null, 1), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
