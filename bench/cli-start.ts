import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// CLI cold start as a user meets it: process wall time of `routeplan --version`, `--help` and two
// light commands, against a bare `node -e 0` measured in the same run (median of 7 each). The
// engine, HiGHS, onnxruntime and YAML load only inside the commands that use them.
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin/routeplan.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function wall(args: string[], reps = 7): number {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, ROUTEPLAN_WORKSPACE: '' } });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  }
  return median(times);
}

export async function run(): Promise<void> {
  if (!existsSync(join(root, 'out/main/cli.js'))) throw new Error('build first: npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'routeplan-bench-start-'));
  try {
    const ws = join(dir, 'w.sqlite');
    const node = wall(['-e', '0']);
    const rows: [string, number][] = [
      ['node -e 0 (baseline)', node],
      ['routeplan --version', wall([bin, '--version'])],
      ['routeplan --help', wall([bin, '--help'])],
      ['routeplan info (opens a workspace)', wall([bin, 'info', '--workspace', ws])],
      ['routeplan gateway-config --help', wall([bin, 'gateway-config', '--help'])],
    ];
    console.log('command                                   wall ms   x node');
    for (const [name, ms] of rows) console.log(`${name.padEnd(40)} ${ms.toFixed(0).padStart(7)}   ${(ms / node).toFixed(1).padStart(6)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
