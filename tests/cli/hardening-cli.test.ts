import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, scratchDir } from '../helpers/engine';
import { ensureBuilt, runCli } from '../helpers/cli';

// issue 31 (hardening), the audit's remaining defects at the command line.
const scratch = scratchDir('routeplan-hardening-cli-');
const routeplan = (...args: string[]) => runCli(args, { env: { ...process.env, ROUTEPLAN_WORKSPACE: '' } });
beforeAll(ensureBuilt);
afterAll(() => scratch.cleanup());

describe('inventory --set', () => {
  it('reads counts, prices and memory in the decimal grammar: 0x10 is refused, naming the value, and nothing is stored', () => {
    const ws = join(scratch.dir, 'inventory.sqlite');
    for (const edit of ['toString=0x10:1:80', 'toString=16:0x1:80', 'toString=16:1:1e400', 'toString=16:1:0b101']) {
      const r = routeplan('inventory', '--set', edit, '--workspace', ws, '--json');
      expect(r.code, edit).toBe(1);
      expect(r.json().error.code, edit).toBe('INVALID_INPUT');
      expect(r.json().error.message, edit).toContain(edit.split(/[=:]/).find((p) => /^0x|^0b|e400/.test(p)));
    }
    const overBound = routeplan('inventory', '--set', 'toString=1000001:1:80', '--workspace', ws, '--json');
    expect(overBound.code).toBe(1);
    expect(routeplan('inventory', '--workspace', ws, '--json').out).not.toContain('toString');
    const ok = routeplan('inventory', '--set', 'toString=16:1.5:80', '--workspace', ws, '--json');
    expect(ok.code).toBe(0);
    expect(ok.json()).toEqual(expect.arrayContaining([expect.objectContaining({ gpuType: 'toString', count: 16 })]));
  });
});

describe('numbers a command reads from its own options', () => {
  it('follow the decimal grammar too: 0x1 is INVALID_INPUT naming the flag, not id 1', () => {
    const ws = join(scratch.dir, 'numbers.sqlite');
    for (const args of [['export-policy', '--name', 'p', '--predictor', '0x1', '--dataset', '1'], ['predict', '--predictor', '0x1', '-t', 'hello'], ['evaluate', '--predictor', '1', '--test', '1', '--batch-size', '0x10']]) {
      const r = routeplan(...args, '--workspace', ws, '--json');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.json().error, args.join(' ')).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/--(predictor|batch-size): not a decimal number: 0x1/) });
    }
  });
});

/** The built CLI with its stdout on the given stdio entry; resolves with its exit code and stderr. */
function runWithStdout(args: string[], stdout: 'pipe' | number, onSpawn: (child: ReturnType<typeof spawn>) => void = () => {}): Promise<{ code: number | null; signal: string | null; err: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/routeplan.js'), ...args], { cwd: repoRoot, stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, ROUTEPLAN_WORKSPACE: '' } });
  onSpawn(child);
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, err })));
}

describe('standard output that fails', () => {
  it('a reader that goes away (EPIPE, as `| head -1`) ends the command quietly with exit 0', async () => {
    // The read end closes before the child has started, so its first write meets EPIPE.
    const r = await runWithStdout(['gpus', '--workspace', join(scratch.dir, 'epipe.sqlite')], 'pipe', (child) => child.stdout!.destroy());
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  });

  it.skipIf(!existsSync('/dev/full'))('a full disk on stdout (ENOSPC, `> /dev/full`) is a named error, exit 1, no stack trace', async () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = await runWithStdout(['gpus', '--workspace', join(scratch.dir, 'enospc.sqlite')], fd);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^routeplan: INVALID_INPUT: cannot write standard output: the disk is full \(ENOSPC\)/);
      expect(r.err).not.toMatch(/\n\s+at |Unhandled/);
    } finally {
      closeSync(fd);
    }
  });
});
