import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './engine';

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
  json: () => any;
}

/** The built CLI, run as a user runs it (npm test builds first). */
export function runCli(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/routeplan.js'), ...args], { encoding: 'utf8', cwd: repoRoot, input: opts.input, env: opts.env ?? process.env, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) };
}

/** Builds the app when a test file runs on its own without `npm test`'s build. */
export function ensureBuilt(): void {
  if (!existsSync(join(repoRoot, 'out/main/cli.js'))) spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
}

/** Writes a value (JSON unless a string) into dir and returns its path. */
export function writeInput(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}
