#!/usr/bin/env node
// routeplan's command line. better-sqlite3's prebuilt binary needs Node >= 22; npm scripts and npx
// put the project's own Node 22 (the `node` devDependency) first on PATH, and a direct call under
// an older system Node is re-run with it here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const cli = join(here, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error('routeplan is not built yet: run `npm run build` first.');
  process.exit(1);
}
await import(new URL(`file://${cli}`).href);
