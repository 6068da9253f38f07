import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/engine';
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
