// Slow: each case runs `npm start` or `npm run serve` (npm start-up, then a real server) and stops it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, scratchDir } from '../helpers/engine';
import { ensureBuilt } from '../helpers/cli';
import { raw } from '../server/harness';

// issue 32 item 4: `npm start` (in browser mode here: ROUTEPLAN_BROWSER_MODE=1, so that a machine
// that can fetch Electron does not open a window) and `npm run serve` pass SIGINT, SIGTERM and SIGHUP on to the
// server and exit when it has: no server left listening, the token dead. ROUTEPLAN_SKIP_BUILD keeps
// them from rewriting out/ under the CLI tests that run beside this file.
const scratch = scratchDir('routeplan-stop-server-');
let n = 0;
beforeAll(ensureBuilt);
afterAll(() => scratch.cleanup());

interface Case {
  script: 'start' | 'serve';
  signal: NodeJS.Signals;
  /** npm's own process, or the whole process group (a terminal) */
  to: 'npm' | 'group';
  npmDiesFirst?: boolean;
}
const cases: Case[] = [
  { script: 'start', signal: 'SIGTERM', to: 'npm' },
  // npm does not pass SIGHUP on and dies of it at once: the script notices it was re-parented and
  // stops the server itself, just after npm has gone
  { script: 'start', signal: 'SIGHUP', to: 'npm', npmDiesFirst: true },
  { script: 'start', signal: 'SIGINT', to: 'group' },
  { script: 'serve', signal: 'SIGTERM', to: 'npm' },
  { script: 'serve', signal: 'SIGHUP', to: 'group' },
];

async function alive(port: number, token: string): Promise<boolean> {
  try {
    return (await raw(port, `/api/jobs?token=${token}`)).status === 200;
  } catch {
    return false;
  }
}

describe('npm start / npm run serve stop the server they started', () => {
  for (const c of cases) {
    it(`npm ${c.script === 'start' ? 'start' : 'run serve'}: ${c.signal} to ${c.to === 'npm' ? "npm's process" : 'the process group'}`, async () => {
      const ws = join(scratch.dir, `ws-${++n}.sqlite`);
      const npmArgs = c.script === 'start' ? ['start', '--'] : ['run', 'serve', '--'];
      const proc = spawn('npm', [...npmArgs, '--workspace', ws, '--no-demo', '--json', '--port', '0'], { cwd: repoRoot, detached: true, env: { ...process.env, ROUTEPLAN_SKIP_BUILD: '1', ROUTEPLAN_BROWSER_MODE: '1' } });
      let out = '';
      let err = '';
      proc.stderr.on('data', (d) => (err += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
      // the server's JSON line says where it listens; wait for it, however long the start takes
      const served = await new Promise<{ port: number; url: string }>((resolve, reject) => {
        proc.stdout.on('data', (d) => {
          out += d;
          const line = out.split('\n').find((l) => l.startsWith('{"url"'));
          if (line) resolve(JSON.parse(line));
        });
        exited.then((e) => reject(new Error(`npm ${c.script} ended (${e.code ?? e.signal}) before serving:\n${err}`)));
      });
      const token = new URL(served.url).searchParams.get('token')!;
      expect(await alive(served.port, token)).toBe(true);
      process.kill(c.to === 'group' ? -proc.pid! : proc.pid!, c.signal);
      const e = await exited;
      expect(e.code ?? e.signal, err).not.toBeNull();
      if (c.npmDiesFirst) await expect.poll(() => alive(served.port, token), { timeout: 1_200_000, interval: 200 }).toBe(false);
      // npm waited for the server: it must be gone already, not orphaned
      else expect(await alive(served.port, token), 'the server still answers after npm exited').toBe(false);
    });
  }
});
