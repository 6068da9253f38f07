// Slow: at least 1,000 seeded mutants of every accepted format, each imported into an on-disk workspace whose bytes a refusal must leave unchanged.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { toFailure } from '../../../../src/shared/errors';
import { repoRoot, routerbenchDir, scratchDir } from '../../../helpers/engine';
import { mutant, parquetMutant } from '../../../helpers/mutate';
import { writeLongParquet } from '../../../helpers/parquet';

// The fuzz corpus: >= 1,000 mutants of valid dataset, catalog, inventory and Parquet files, each imported
// into a real on-disk workspace. Every outcome must be an import or a refusal a user can act on
// (never INTERNAL, never a stack trace), and every refusal leaves the workspace file's bytes as
// they were. The CLI's exit codes for the same failures are checked in tests/cli/fuzz-cli.test.ts.

const fixtures = join(repoRoot, 'tests/fixtures/data');
const scratch = scratchDir('routeplan-fuzz-');
afterAll(() => scratch.cleanup());

const wide = join(scratch.dir, 'routerbench-head.csv');
writeFileSync(wide, readFileSync(join(routerbenchDir, 'mbpp_train.csv'), 'utf8').split('\n').slice(0, 25).join('\n') + '\n');
const parquet = join(scratch.dir, 'long.parquet');
writeLongParquet(parquet, 60, 20);
export const fuzzSeeds: { file: string; format?: 'long-csv' | 'wide-csv' | 'json' | 'catalog' | 'inventory' }[] = [
  { file: join(fixtures, 'long-ok.csv') },
  { file: join(fixtures, 'ok.json') },
  { file: join(fixtures, 'ok.jsonl') },
  { file: join(fixtures, 'ok.tsv') },
  { file: wide, format: 'wide-csv' },
  { file: join(fixtures, 'catalog-ok.csv'), format: 'catalog' },
  { file: join(fixtures, 'inventory-ok.json'), format: 'inventory' },
  { file: parquet },
];
const PER_SEED = 140;

const bytesOf = (path: string) => {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
};

describe('import fuzz corpus', () => {
  it(`${fuzzSeeds.length * PER_SEED} mutated files: each imports or is refused with a clear error, and a refusal changes no byte of the workspace`, async () => {
    const ws = join(scratch.dir, 'ws.sqlite');
    const db = openDatabase(ws);
    for (const f of ['long-ok.csv', 'catalog-ok.csv', 'inventory-ok.json']) await importFile(db, join(fixtures, f), {}, quietContext());
    const snapshot = () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return Buffer.concat([bytesOf(ws), bytesOf(ws + '-wal')]);
    };
    let before = snapshot();
    const tally: Record<string, number> = {};
    const internal: string[] = [];
    let n = 0;
    for (const [s, seed] of fuzzSeeds.entries()) {
      const original = readFileSync(seed.file);
      const json = /\.jsonl?$/.test(seed.file);
      for (let i = 0; i < PER_SEED; i++, n++) {
        const { bytes, applied } = seed.file.endsWith('.parquet') ? parquetMutant(original, i) : mutant(original, s * 10_000 + i, json);
        const file = join(scratch.dir, `m${n}${extname(seed.file)}`);
        writeFileSync(file, bytes);
        // half the corpus names its format, half leaves it to detection
        const format = i % 2 === 0 ? (seed.format ?? 'auto') : 'auto';
        const outcome = await importFile(db, file, { format, name: `fuzz-${n}` }, quietContext()).then(
          () => 'imported',
          (err) => {
            const f = toFailure(err);
            if (f.code === 'INTERNAL' || /\n\s+at /.test(f.message)) internal.push(`${file} (${applied.join('+')}, ${format}): ${f.code}: ${f.message.slice(0, 300)}`);
            return f.code;
          },
        );
        tally[outcome] = (tally[outcome] ?? 0) + 1;
        if (outcome === 'imported') before = snapshot();
        else expect(snapshot().equals(before), `${file} (${applied.join('+')}) was refused (${outcome}) but changed the workspace`).toBe(true);
      }
    }
    db.close();
    expect(internal, internal.join('\n')).toEqual([]);
    expect(n).toBeGreaterThanOrEqual(1000);
    // the corpus must exercise refusals, not only files the mutations left valid
    expect(tally.FILE_FORMAT ?? 0).toBeGreaterThan(n / 3);
    console.log(`fuzz corpus: ${n} files, ${JSON.stringify(tally)}`);
  });
});
