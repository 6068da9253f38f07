import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerbenchDir, scratchDir } from '../helpers/engine';
import { ensureBuilt, runCli } from '../helpers/cli';
import { runAsync, startAtFault } from '../helpers/processes';

// Faults of the environment, not of the input or of routeplan: each is a named error with an exit
// code of 1-4 and no stack trace, never INTERNAL (70), and nothing is changed.
const scratch = scratchDir('routeplan-environment-');
afterAll(() => scratch.cleanup());
beforeAll(ensureBuilt);

const env = { ...process.env, ROUTEPLAN_WORKSPACE: '' };
const named = (r: { code: number | null; err: string }, code: string, message: RegExp) => {
  expect(r.code, r.err).toBeGreaterThanOrEqual(1);
  expect(r.code, r.err).toBeLessThanOrEqual(4);
  expect(r.err).toMatch(new RegExp(`routeplan: ${code}: `));
  expect(r.err).toMatch(message);
  expect(r.err).not.toMatch(/INTERNAL|\n\s+at /);
};
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('environment faults are named errors', () => {
  it('a foreign SQLite database is refused and left byte for byte as it was (no tables, no WAL)', () => {
    const file = join(scratch.dir, 'other-app.db');
    const db = new Database(file);
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada')");
    db.close();
    const before = sha(file);
    for (const cmd of [['info'], ['datasets'], ['import', join(routerbenchDir, 'mbpp_test.csv')]]) {
      const r = runCli([...cmd, '-w', file, '--json'], { env });
      named(r, 'FILE_FORMAT', /SQLite database of another program \(tables: users\).*not modified/);
      expect(JSON.parse(r.out).error.details.reason).toBe('foreign-database');
    }
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('serve refuses an empty, short or non-printable token and a bad port before opening anything; a port in use is CONFLICT', async () => {
    const ws = join(scratch.dir, 'serve.sqlite');
    for (const token of ['', 'short', 'sixteen chars ok']) named(runCli(['serve', '--token', token, '--no-demo', '-w', ws], { env }), 'INVALID_INPUT', /access token/);
    for (const port of ['abc', '70000', '-1', '8080x']) named(runCli(['serve', '--port', port, '--no-demo', '-w', ws], { env }), 'INVALID_INPUT', /--port must be an integer from 0 to 65535/);
    expect(existsSync(ws)).toBe(false);
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (taken.address() as { port: number }).port;
      named(runCli(['serve', '--port', String(port), '--no-demo', '-w', ws], { env }), 'CONFLICT', new RegExp(`port ${port} is in use`));
    } finally {
      taken.close();
    }
  });

  it('a missing temporary folder and a full disk on an output are named (no INTERNAL)', () => {
    const ws = join(scratch.dir, 'tmp.sqlite');
    named(runCli(['import', join(routerbenchDir, 'mbpp_test.csv'), '-w', ws], { env: { ...env, TMPDIR: join(scratch.dir, 'no-such-folder') } }), 'INVALID_INPUT', /temporary folder .*no-such-folder.*set TMPDIR/);
    // /dev/full: every write fails with ENOSPC, as on a full disk
    expect(runCli(['import', join(routerbenchDir, 'mbpp_test.csv'), '-w', ws], { env }).code).toBe(0);
    if (existsSync('/dev/full')) named(runCli(['keys', '--export', '/dev/full', '-w', ws], { env }), 'INVALID_INPUT', /disk is full \(ENOSPC\)/);
  });

  it('two simultaneous imports of the same content: one lands, the other is CONFLICT', async () => {
    const ws = join(scratch.dir, 'same.sqlite');
    const file = join(routerbenchDir, 'mbpp_test.csv');
    // the first is held after staging, before its commit; the second passes the early check meanwhile
    const first = await startAtFault(process.execPath, ['import', file, '--name', 'first', '-w', ws, '--json'], 'import.staged', { holdMs: 15_000 });
    const second = await runAsync(['import', file, '--name', 'second', '-w', ws, '--json']);
    const done = await first.finished;
    const codes = [done.code, second.code].sort();
    expect(codes, `${done.err}\n${second.err}`).toEqual([0, 1]);
    expect(`${done.err}${second.err}`).toMatch(/CONFLICT: already imported: dataset "(first|second)"/);
    const db = new Database(ws, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM datasets').pluck().get()).toBe(1);
    db.close();
  });
});

// A tiny tmpfs makes a real full disk and a real read-only file system; only where this process
// may mount one (root with CAP_SYS_ADMIN), else the case is skipped and /dev/full stands in.
describe('on a tiny tmpfs', () => {
  const tiny = join(scratch.dir, 'tiny');
  let mounted = false;
  beforeAll(() => {
    mkdirSync(tiny, { recursive: true });
    mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', tiny]).status === 0;
  });
  afterAll(() => {
    if (mounted) spawnSync('umount', [tiny]);
  });
  it('a full disk and a read-only file system are named errors, exit 1', (ctx) => {
    if (!mounted) return ctx.skip();
    const ws = join(tiny, 'ws.sqlite');
    // A writing command creates the workspace (read-only ones refuse a missing one, issue 32).
    expect(runCli(['scenarios', 'delete', 'none', '-w', ws], { env }).code).toBe(0);
    spawnSync('dd', ['if=/dev/zero', `of=${join(tiny, 'fill')}`, 'bs=1k', 'count=2048']);
    // SQLite reports a full tmpfs as SQLITE_FULL, or as a disk I/O error when the WAL index cannot
    // grow (the case once the schema outgrew a few hundred KB); both are named, exit 1, nothing written.
    named(runCli(['import', join(routerbenchDir, 'mbpp_test.csv'), '-w', ws], { env }), '(INVALID_INPUT|CONFLICT)', /disk is full|disk holding .* is full|input\/output error on the workspace/);
    expect(spawnSync('mount', ['-o', 'remount,ro', tiny]).status).toBe(0);
    named(runCli(['import', join(routerbenchDir, 'arc_challenge_test.csv'), '-w', ws], { env }), 'INVALID_INPUT', /read-only/);
    named(runCli(['scenarios', 'delete', 'none', '-w', join(tiny, 'new.sqlite')], { env }), 'INVALID_INPUT', /read-only/);
  });
});
