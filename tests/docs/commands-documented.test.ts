import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/engine';
import { ensureBuilt, runCli } from '../helpers/cli';

// issue 32 item 6: every command `routeplan --help` lists is shown in use (`routeplan NAME`) in the
// README or a docs page, so nothing the CLI offers is undocumented.
beforeAll(ensureBuilt);

describe('every command is documented', () => {
  it('each command of `routeplan --help` appears as `routeplan NAME` in README.md or docs/*.md', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    const commands = help.out
      .slice(help.out.indexOf('Commands:'))
      .split('\n')
      .map((l) => /^ {2}([a-z][a-z-]*)/.exec(l)?.[1])
      .filter((c): c is string => !!c && c !== 'help');
    expect(commands.length).toBeGreaterThanOrEqual(15);
    const text = [join(repoRoot, 'README.md'), ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(repoRoot, 'docs', f))].map((f) => readFileSync(f, 'utf8')).join('\n');
    const missing = commands.filter((c) => !new RegExp(`routeplan ${c}\\b`).test(text));
    expect(missing).toEqual([]);
  });
});
