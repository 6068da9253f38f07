#!/usr/bin/env node
// routeplan's command line. better-sqlite3's prebuilt binary needs Node >= 22; npm scripts and npx
// put the project's own Node 22 (the `node` devDependency) first on PATH, and a direct call under
// an older system Node is re-run with it here.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const local = join(here, '..', 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
  if (!existsSync(local)) {
    console.error(`routeplan needs Node >= 22 (this is ${process.version}); run it through npx or npm scripts, or install Node 22.`);
    process.exit(1);
  }
  reRunWith(local);
} else {
  const cli = join(here, '..', 'out', 'main', 'cli.js');
  if (!existsSync(cli)) {
    console.error('routeplan is not built yet: run `npm run build` first.');
    process.exit(1);
  }
  await import(new URL(`file://${cli}`).href);
}

/**
 * Runs this script again under `node` and stands in for it: a scheduler, `timeout` or systemd
 * that stops the wrapper must stop the command, so stop signals are passed on and the wrapper
 * exits only when the child has, with the child's status. The child is told the wrapper's pid so
 * that it cancels by itself if the wrapper is killed outright (SIGKILL cannot be forwarded).
 */
function reRunWith(node) {
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ROUTEPLAN_WRAPPER_PID: String(process.pid) },
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    });
  }
  child.on('error', (err) => {
    console.error(`routeplan: cannot start ${node}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
  });
}
