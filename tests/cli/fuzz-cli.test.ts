// Slow: seeded malformed inputs through the real CLI, one process each.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/engine/store/database';
import { repoRoot, scratchDir } from '../helpers/engine';
import { ensureBuilt, runCli } from '../helpers/cli';
import { dump } from '../helpers/dump';
import { heldOutMutant, mutant } from '../helpers/mutate';

// A sample of the import fuzz corpus (tests/main/engine/data/fuzz-import.test.ts holds all 1,120)
// through the real command line: the exit code is one the README documents (0-4), stderr has no
// stack trace, and a refused file leaves every table as it was, the jobs journal included.
const fixtures = join(repoRoot, 'tests/fixtures/data');
const seeds = ['long-ok.csv', 'ok.json', 'ok.jsonl', 'ok.tsv', 'catalog-ok.csv', 'inventory-ok.json'];
const PER_SEED = 5;
const scratch = scratchDir('routeplan-fuzz-cli-');
const ws = join(scratch.dir, 'ws.sqlite');
beforeAll(() => {
  ensureBuilt();
  for (const f of ['long-ok.csv', 'catalog-ok.csv', 'inventory-ok.json']) expect(runCli(['import', join(fixtures, f), '-w', ws]).code).toBe(0);
});
afterAll(() => scratch.cleanup());

const snapshot = () => {
  const db = openDatabase(ws);
  try {
    return dump(db);
  } finally {
    db.close();
  }
};

describe('import fuzz through the CLI', () => {
  it(`${seeds.length * PER_SEED} mutated files: exit 0-4, no stack trace, refusals change nothing`, () => {
    let before = snapshot();
    const codes: Record<string, number> = {};
    for (const [s, seed] of seeds.entries()) {
      const original = readFileSync(join(fixtures, seed));
      for (let i = 0; i < PER_SEED; i++) {
        const { bytes, applied } = mutant(original, 77_000 + s * 1000 + i, seed.includes('.json'));
        const file = join(scratch.dir, `c${s}-${i}${extname(seed)}`);
        writeFileSync(file, bytes);
        const r = runCli(['import', file, '--name', `fuzz-${s}-${i}`, '-w', ws]);
        const label = `${file} (${applied.join('+')}): exit ${r.code}\n${r.err}`;
        codes[String(r.code)] = (codes[String(r.code)] ?? 0) + 1;
        expect([0, 1, 2, 3, 4], label).toContain(r.code);
        expect(r.err, label).not.toMatch(/\n\s+at .*[(:]\d/);
        if (r.code === 0) before = snapshot();
        else expect(snapshot(), label).toEqual(before);
      }
    }
    expect(codes['1'] ?? 0).toBeGreaterThan(0);
  });

  // The held-out generator's defect classes (number syntax, duplicate columns, name forms, winners
  // named like properties) through the command line too, pairwise included.
  it('12 held-out cases: exit 0-4, never 70, no stack trace, refusals change nothing', () => {
    let before = snapshot();
    const heldSeeds = ['pairwise-arena.csv', 'long-ok.csv', 'ok.json', 'inventory-ok.json'];
    for (let i = 0; i < 12; i++) {
      const seed = heldSeeds[i % heldSeeds.length];
      const { bytes, applied } = heldOutMutant(readFileSync(join(fixtures, seed)), 91_000 + i, seed.includes('.json'));
      const file = join(scratch.dir, `h${i}${extname(seed)}`);
      writeFileSync(file, bytes);
      const r = runCli(['import', file, '--name', `held-${i}`, '-w', ws]);
      const label = `${file} (${applied.join('+')}): exit ${r.code}\n${r.err}`;
      expect([0, 1, 2, 3, 4], label).toContain(r.code);
      expect(r.err, label).not.toMatch(/INTERNAL|\n\s+at .*[(:]\d/);
      if (r.code === 0) before = snapshot();
      else expect(snapshot(), label).toEqual(before);
    }
  });
});
