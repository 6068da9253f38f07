import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './engine';

/** A Node older than 22 on this machine (the system one), under which bin/routeplan.js re-runs itself. */
export function olderNode(): string | null {
  for (const bin of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(bin)) continue;
    const v = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (Number(v.split('.')[0]) < 22) return bin;
  }
  return null;
}

export interface Running {
  proc: ChildProcess;
  /** Pid of the process that reached the fault point (the wrapper's child under an older Node). */
  commandPid: number;
  /** Resolves once every process holding our pipes has gone: exit status and all of stderr. */
  finished: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

/**
 * Starts `routeplan ARGS` with `node` and resolves when it reports reaching fault point `point`
 * (ROUTEPLAN_TEST_FAULT_AT), so that a test can stop it at that exact moment.
 */
export function startAtFault(node: string, args: string[], point: string, opts: { holdMs?: number; detached?: boolean; launcher?: string[] } = {}): Promise<Running> {
  // A launcher (npx, timeout …) runs the command in place of `node bin/routeplan.js`.
  const argv = opts.launcher ? [...opts.launcher, ...args] : [node, join(repoRoot, 'bin/routeplan.js'), ...args];
  const proc = spawn(argv[0], argv.slice(1), {
    cwd: repoRoot,
    detached: opts.detached ?? false,
    env: { ...process.env, ROUTEPLAN_WORKSPACE: '', ROUTEPLAN_TEST_FAULT_AT: point, ROUTEPLAN_TEST_FAULT_HOLD_MS: String(opts.holdMs ?? 20_000) },
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
  proc.on('exit', (code, signal) => (exit = { code, signal }));
  // 'close' waits for the pipes, which a re-parented grandchild keeps open until it ends.
  const finished = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) => proc.on('close', () => resolve({ ...exit, out, err })));
  return new Promise((resolve, reject) => {
    // No deadline of our own: a slow machine makes this slower, never red (vitest's test timeout bounds it).
    proc.stderr!.on('data', (d) => {
      err += d;
      const m = new RegExp(`FAULT ${point.replace('.', '\\.')} pid=(\\d+)`).exec(err);
      if (m) {
        resolve({ proc, commandPid: Number(m[1]), finished });
      }
    });
    finished.then((f) => {
      reject(new Error(`routeplan ${args[0]} ended (${f.code ?? f.signal}) before fault point ${point}; stderr:\n${f.err}`));
    });
  });
}

/** The built CLI as a plain async process (for runs that overlap). */
export function runAsync(args: string[], node = process.execPath): Promise<{ code: number | null; out: string; err: string }> {
  const proc = spawn(node, [join(repoRoot, 'bin/routeplan.js'), ...args], { cwd: repoRoot, env: { ...process.env, ROUTEPLAN_WORKSPACE: '' } });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => proc.on('close', (code) => resolve({ code, out, err })));
}
