import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { toFailure } from '../../../../src/shared/errors';
import { scratchDir } from '../../../helpers/engine';
import { rng } from '../../../helpers/mutate';
import { writeLongParquet } from '../../../helpers/parquet';

// Corrupt page headers are refused by their check (parquet-pages.ts) before any decoding: the
// refusal names the row group and column (reason page-header), and never needs the decoder's
// time limit. A valid file passes the same check.
const scratch = scratchDir('routeplan-parquet-pages-');
afterAll(() => scratch.cleanup());

describe('Parquet page headers are validated before decoding', () => {
  it('refuses byte flips in page headers by name (page-header), imports the intact file', async () => {
    const file = join(scratch.dir, 'long.parquet');
    writeLongParquet(file, 60, 20);
    const original = readFileSync(file);
    const db = openDatabase(':memory:');
    await importFile(db, file, { name: 'intact' }, quietContext());
    const meta = parquetMetadata(original.buffer.slice(original.byteOffset, original.byteOffset + original.length));
    const starts = meta.row_groups.flatMap((g) => g.columns.map((c) => Number(c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset)));
    const reasons: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const r = rng(1000 + i);
      const bytes = Buffer.from(original);
      const at = starts[Math.floor(r() * starts.length)];
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) bytes[at + Math.floor(r() * 12)] = Math.floor(r() * 256);
      const mutant = join(scratch.dir, `m${i}.parquet`);
      writeFileSync(mutant, bytes);
      const outcome = await importFile(db, mutant, { name: `m${i}` }, quietContext()).then(
        () => 'imported',
        (err) => {
          const f = toFailure(err);
          expect(f.code, f.message).toBe('FILE_FORMAT');
          expect(f.message).not.toMatch(/was not decoded within/);
          return String(f.details?.reason ?? 'other');
        },
      );
      reasons[outcome] = (reasons[outcome] ?? 0) + 1;
    }
    expect(reasons['page-header'] ?? 0, JSON.stringify(reasons)).toBeGreaterThanOrEqual(20);
  });
});
