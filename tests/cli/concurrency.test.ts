// Slow: real CLI imports held mid-commit while other processes read and write the same workspace (busy timeouts of seconds by design).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerbenchDir, scratchDir } from '../helpers/engine';
import { ensureBuilt, runCli } from '../helpers/cli';
import { runAsync, startAtFault } from '../helpers/processes';

// Two processes on one workspace. Imports stage privately and take the write lock only for their
// commit, waiting up to the busy timeout (5 s) for another's; WAL readers see the last commit.
const scratch = scratchDir('routeplan-concurrency-');
afterAll(() => scratch.cleanup());
beforeAll(ensureBuilt);

const file = (task: string) => join(routerbenchDir, `${task}_train.csv`);
const names = (ws: string) => {
  const db = new Database(ws, { readonly: true });
  try {
    return { names: db.prepare('SELECT name FROM datasets ORDER BY name').pluck().all(), integrity: db.pragma('integrity_check', { simple: true }) };
  } finally {
    db.close();
  }
};

describe('two writers and a reader on one workspace', () => {
  it('a reader during a commit sees the last committed state; a second import waits for the first and both land', async () => {
    const ws = join(scratch.dir, 'a.sqlite');
    expect(runCli(['import', file('mbpp'), '--name', 'mbpp', '-w', ws]).code).toBe(0);
    // the first import holds the write lock, mid-transaction, for 2 s
    const first = await startAtFault(process.execPath, ['import', file('arc_challenge'), '--name', 'arc', '-w', ws, '--json'], 'import.commit', { holdMs: 2000 });
    const [reader, second] = await Promise.all([runAsync(['datasets', '-w', ws, '--json']), runAsync(['import', file('winogrande'), '--name', 'wino', '-w', ws, '--json']), first.finished]);
    expect(reader.code, reader.err).toBe(0);
    expect(JSON.parse(reader.out).map((d: { name: string }) => d.name)).not.toContain('wino');
    expect(second.code, second.err).toBe(0);
    expect((await first.finished).code).toBe(0);
    expect(names(ws)).toEqual({ names: ['arc', 'mbpp', 'wino'], integrity: 'ok' });
  });

  it('a writer kept out past the busy timeout is refused with a clear CONFLICT (exit 1), and nothing of it lands', async () => {
    const ws = join(scratch.dir, 'b.sqlite');
    expect(runCli(['import', file('mbpp'), '--name', 'mbpp', '-w', ws]).code).toBe(0);
    const first = await startAtFault(process.execPath, ['import', file('arc_challenge'), '--name', 'arc', '-w', ws, '--json'], 'import.commit', { holdMs: 9000 });
    const second = await runAsync(['import', file('winogrande'), '--name', 'wino', '-w', ws, '--json']);
    expect(second.code, second.err).toBe(1);
    expect(second.err).toMatch(/CONFLICT: the workspace is busy: another routeplan process is writing to it/);
    expect(second.err).not.toMatch(/\n\s+at /);
    expect((await first.finished).code).toBe(0);
    expect(names(ws)).toEqual({ names: ['arc', 'mbpp'], integrity: 'ok' });
    // once the first has finished, the same import goes through
    expect(runCli(['import', file('winogrande'), '--name', 'wino', '-w', ws]).code).toBe(0);
  });
});
