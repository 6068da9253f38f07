// Slow: runs every README and docs shell block as written, each `npx routeplan` a real process (imports, a small training, an export, routing).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/engine';
import { ensureBuilt } from '../helpers/cli';
import { docBlocks, substitute, substitutions } from '../helpers/doc-blocks';

// issue 32 item 2: every shell block of README.md and docs/*.md runs as written, in a folder of
// its own under .tmp/ (inside the project, so `npx routeplan` finds it) with examples/ and tests/
// beside it. The only changes (tests/helpers/doc-blocks.ts): the data path made absolute, and the
// README tour's 20-member hybrid training run with `--featurizer builtin --ensemble 2` to bound
// its time. A block that is not meant to run carries `<!-- doc-test: skip (why) -->` just before it;
// the list of skips is checked below, so a new one is a visible decision.
const docs = ['README.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocks = docs.flatMap((file) => docBlocks(file, readFileSync(join(repoRoot, file), 'utf8')));
const sharedData = resolve(repoRoot, '../shared/data');
const work = join(repoRoot, '.tmp', 'doc-test');
const bin = join(work, 'bin');
// Reviewed skips, by file (each gives its reason in the Markdown).
const expectedSkips = ['README.md', 'README.md', 'docs/app.md', 'docs/capacity.md', 'docs/capacity.md', 'docs/capacity.md', 'docs/demand.md', 'docs/policies.md', 'docs/policies.md', 'docs/policies.md', 'docs/policies.md', 'docs/predictor.md', 'docs/routing.md', 'docs/routing.md'];

beforeAll(() => {
  ensureBuilt();
  rmSync(work, { recursive: true, force: true });
  // docs write `routeplan` for the command as `npm link` installs it: the same bin/routeplan.js
  mkdirSync(bin, { recursive: true });
  symlinkSync(join(repoRoot, 'bin', 'routeplan.js'), join(bin, 'routeplan'));
});

describe('doc command blocks', () => {
  it('finds the blocks, and every skip says why', () => {
    expect(blocks.filter((b) => !b.skip).length).toBeGreaterThanOrEqual(4);
    for (const b of blocks.filter((x) => x.skip)) expect(b.skip!.length, `${b.file}:${b.line}`).toBeGreaterThan(10);
    expect(blocks.filter((b) => b.skip).map((b) => b.file)).toEqual(expectedSkips);
  });

  it('every substitution still finds its text (a doc edit cannot silently bypass it)', () => {
    for (const s of substitutions) expect(blocks.some((b) => !b.skip && b.text.search(s.pattern) >= 0), String(s.pattern)).toBe(true);
  });

  for (const b of blocks.filter((x) => !x.skip)) {
    it(`${b.file}:${b.line} runs as written`, () => {
      const dir = join(work, `${b.file.replace(/[/.]/g, '_')}-${b.line}`);
      mkdirSync(dir, { recursive: true });
      for (const name of ['examples', 'tests']) symlinkSync(join(repoRoot, name), join(dir, name));
      const script = substitute(b.text, sharedData);
      // an app-data workspace of its own: a block without --workspace must not touch the user's
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, XDG_CONFIG_HOME: join(dir, 'config'), ROUTEPLAN_WORKSPACE: undefined };
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(r.status, `${b.file}:${b.line}\n--- script\n${script}\n--- stderr\n${r.stderr.slice(-4000)}`).toBe(0);
    });
  }
});
