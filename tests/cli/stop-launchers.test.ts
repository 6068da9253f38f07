// Slow: each case starts routeplan through npx, timeout or the Node-20 wrapper (npm's own start-up each time) and cancels it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerbenchDir, scratchDir } from '../helpers/engine';
import { ensureBuilt } from '../helpers/cli';
import { olderNode, startAtFault } from '../helpers/processes';

// issue 32 item 4: a cancelled job exits 4 however it was started: through npx, through the Node-20
// wrapper, under `timeout --preserve-status` (which signals its child and then its process group),
// or by a signal to the whole process group. Each run is held at a fault point until signalled.
const scratch = scratchDir('routeplan-launchers-');
const old = olderNode();
const hasTimeout = spawnSync('timeout', ['--version']).status === 0;
let n = 0;
beforeAll(ensureBuilt);
afterAll(() => scratch.cleanup());

const importArgs = () => ['import', join(routerbenchDir, 'arc_challenge_train.csv'), '--name', 'arc', '-w', join(scratch.dir, `ws-${++n}.sqlite`), '--json'];

interface Launch {
  name: string;
  launcher: () => string[];
  /** where the signal goes: the launcher's own process, or its whole process group */
  to: 'launcher' | 'group';
  signal: NodeJS.Signals;
  skip?: boolean;
  /** npm's own status is the signal; the command's is still a cancel */
  launcherDiesOfIt?: boolean;
}

const launches: Launch[] = [
  { name: 'npx, SIGTERM to npm', launcher: () => ['npx', '--no-install', 'routeplan'], to: 'launcher', signal: 'SIGTERM' },
  { name: 'npx, SIGINT to the process group (Ctrl-C)', launcher: () => ['npx', '--no-install', 'routeplan'], to: 'group', signal: 'SIGINT' },
  // npm forwards SIGINT and SIGTERM only and dies of a SIGHUP at once, so npx itself reports the
  // signal; the command, in the same process group, still cancels cleanly (README says so).
  { name: 'npx, SIGHUP to the process group (terminal closed)', launcher: () => ['npx', '--no-install', 'routeplan'], to: 'group', signal: 'SIGHUP', launcherDiesOfIt: true },
  // timeout forwards a TERM it receives exactly as it sends its own at expiry: to the child, then the group
  { name: 'timeout --preserve-status around npx', launcher: () => ['timeout', '--preserve-status', '3600', 'npx', '--no-install', 'routeplan'], to: 'launcher', signal: 'SIGTERM', skip: !hasTimeout },
  { name: 'timeout --preserve-status around the Node-20 wrapper', launcher: () => ['timeout', '--preserve-status', '3600', old!, 'bin/routeplan.js'], to: 'launcher', signal: 'SIGTERM', skip: !hasTimeout || !old },
  { name: 'the Node-20 wrapper, SIGTERM to the process group', launcher: () => [old!, 'bin/routeplan.js'], to: 'group', signal: 'SIGTERM', skip: !old },
  { name: 'node bin/routeplan.js, SIGTERM to the process group', launcher: () => [process.execPath, 'bin/routeplan.js'], to: 'group', signal: 'SIGTERM' },
];

/** Alive and not a zombie (an orphan's zombie waits for a pid 1 that may never reap it). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('a cancelled job exits 4 however it was started', () => {
  for (const l of launches) {
    it.skipIf(l.skip)(l.name, async () => {
      const run = await startAtFault(process.execPath, importArgs(), 'import.staged', { launcher: l.launcher(), detached: true, holdMs: 600_000 });
      if (l.to === 'group') process.kill(-run.proc.pid!, l.signal);
      else process.kill(run.proc.pid!, l.signal);
      const f = await run.finished;
      const label = `${l.name}: exit ${f.code ?? f.signal}\n${f.err}`;
      if (l.launcherDiesOfIt) expect(f.signal, label).toBe(l.signal);
      else expect(f.code, label).toBe(4);
      expect(f.err, label).toMatch(/CANCELLED/);
      expect(running(run.commandPid), 'the command process is gone').toBe(false);
    });
  }
});
