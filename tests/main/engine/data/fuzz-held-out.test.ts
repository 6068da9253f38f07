// Slow: a held-out seeded generator of 2,200 mutated files over every text format and Parquet, each imported into a workspace that a refusal must leave unchanged.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import { toFailure } from '../../../../src/shared/errors';
import { dump } from '../../../helpers/dump';
import { repoRoot, routerbenchDir, scratchDir } from '../../../helpers/engine';
import { heldOutMutant, heldOutParquetMutant } from '../../../helpers/mutate';
import { csvTextAsParquet } from '../../../helpers/parquet';

// The held-out fuzz (issue 31): a seeded generator of 2,200 cases over every text format and
// Parquet (a mutated CSV written as Parquet, sometimes cut short or flipped in its footer), the
// issue's defect classes among the mutations (helpers/mutate.ts, hardeningMutations), in-process
// and in memory so that it stays a bounded amount of work (no multi-megabyte fields). Each case
// imports or is refused with a named error (never INTERNAL, no stack trace); a refusal leaves
// every table as it was; what imports holds only valid values and normalised names; the peak
// memory of the test process stays under 2 GiB. ROUTEPLAN_FUZZ_SEED picks another held-out corpus.
const SEED = Number(process.env.ROUTEPLAN_FUZZ_SEED ?? 31_2026);
const CASES = 2200;
const MAX_RSS_BYTES = 2 * 2 ** 30;

const fixtures = join(repoRoot, 'tests/fixtures/data');
const scratch = scratchDir('routeplan-fuzz-held-out-');
afterAll(() => scratch.cleanup());
const wide = join(scratch.dir, 'routerbench-head.csv');
writeFileSync(wide, readFileSync(join(routerbenchDir, 'mbpp_train.csv'), 'utf8').split('\n').slice(0, 12).join('\n') + '\n');
// The Parquet seed is long-ok.csv's table, written as Parquet case by case after its mutation.
const parquetSeed = join(fixtures, 'long-ok.parquet');
const seeds = ['long-ok.csv', 'ok.json', 'ok.jsonl', 'ok.tsv', 'catalog-ok.csv', 'inventory-ok.json', 'pairwise-arena.csv', 'pairwise-lmsys.csv'].map((f) => join(fixtures, f)).concat(wide, parquetSeed);

describe('held-out fuzz', () => {
  it(`${CASES} seeded cases over every format: imported valid or refused by name, a refusal changes no table, memory bounded`, async () => {
    const db = openDatabase(':memory:');
    for (const f of ['long-ok.csv', 'catalog-ok.csv', 'inventory-ok.json']) await importFile(db, join(fixtures, f), {}, quietContext());
    let before = dump(db);
    const tally: Record<string, number> = {};
    const parquetTally: Record<string, number> = {};
    const problems: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const seedFile = seeds[n % seeds.length];
      const { bytes, applied } = seedFile === parquetSeed ? heldOutParquetMutant(readFileSync(join(fixtures, 'long-ok.csv')), SEED + n, (csv) => csvTextAsParquet(csv)) : heldOutMutant(readFileSync(seedFile), SEED + n, /\.jsonl?$/.test(seedFile));
      const file = join(scratch.dir, `h${n % 50}${extname(seedFile)}`);
      writeFileSync(file, bytes);
      const label = `case ${n} (${seedFile.split('/').pop()}, ${applied.join('+')})`;
      const outcome = await importFile(db, file, { name: `h-${n}` }, quietContext()).then(
        (r) => {
          if (r.kind === 'dataset' && r.datasetId != null) {
            const m = loadLabelMatrix(db, r.datasetId);
            for (const s of m.scores) if (!(Number.isNaN(s) || (s >= 0 && s <= 1))) problems.push(`${label}: imported a label ${s}`);
            for (const c of m.costs) if (!(Number.isNaN(c) || (c >= 0 && c <= 1e6))) problems.push(`${label}: imported a cost ${c}`);
            for (const name of [...m.models, ...m.tasks.filter((t): t is string => t != null)]) {
              if (name !== name.trim().normalize('NFC') || name === '__proto__') problems.push(`${label}: imported the name ${JSON.stringify(name)}`);
            }
          }
          return 'imported';
        },
        (err) => {
          const f = toFailure(err);
          if (f.code === 'INTERNAL' || /\n\s+at /.test(f.message)) problems.push(`${label}: ${f.code}: ${f.message.slice(0, 300)}`);
          return f.code;
        },
      );
      tally[outcome] = (tally[outcome] ?? 0) + 1;
      if (seedFile === parquetSeed) parquetTally[outcome] = (parquetTally[outcome] ?? 0) + 1;
      const after = dump(db);
      if (outcome === 'imported') before = after;
      else if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`${label}: refused (${outcome}) but changed a table`);
    }
    db.close();
    expect(problems, problems.slice(0, 20).join('\n')).toEqual([]);
    expect(tally.FILE_FORMAT ?? 0).toBeGreaterThan(CASES / 3);
    expect(tally.imported ?? 0).toBeGreaterThan(0);
    // Parquet cases both import and are refused by name (the mutations reach its importer).
    expect(parquetTally.imported ?? 0, JSON.stringify(parquetTally)).toBeGreaterThan(0);
    expect(parquetTally.FILE_FORMAT ?? 0, JSON.stringify(parquetTally)).toBeGreaterThan(0);
    expect(process.resourceUsage().maxRSS * 1024).toBeLessThan(MAX_RSS_BYTES);
    console.log(`held-out fuzz (seed ${SEED}): ${CASES} cases, ${JSON.stringify(tally)}; Parquet ${JSON.stringify(parquetTally)}`);
  });
});
