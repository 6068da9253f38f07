import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import { repoRoot, scratchDir } from '../../../helpers/engine';
import { dump } from '../../../helpers/dump';

// Pairwise preferences become per-prompt win rates: wins 1, ties 1/2, losses and both-bad 0, a
// model never compared on a prompt missing (NaN), never zero.
const at = (f: string) => join(repoRoot, 'tests/fixtures/data', f);
const scratch = scratchDir('routeplan-pairwise-');
afterAll(() => scratch.cleanup());

async function imported(file: string) {
  const db = openDatabase(':memory:');
  const r = await importFile(db, file, {}, quietContext());
  const m = loadLabelMatrix(db, r.datasetId!);
  const row = (id: string) => Array.from(m.scores.subarray(m.queryIds.indexOf(id) * m.models.length, (m.queryIds.indexOf(id) + 1) * m.models.length));
  return { r, m, row };
}

describe('pairwise preferences', () => {
  it('Chatbot Arena layout (winner: model_a | model_b | tie | tie (bothbad)), detected from the header', async () => {
    const { r, m, row } = await imported(at('pairwise-arena.csv'));
    expect(r).toMatchObject({ format: 'pairwise', rows: 5, queries: 3, models: 3, labels: 7 });
    expect(m.models).toEqual(['gpt-4', 'mixtral', 'llama-2-70b']);
    expect(row('p1')).toEqual([1, 0.5, 0]);
    expect(row('p2').slice(0, 2)).toEqual([0.5, 0.5]);
    expect(Number.isNaN(row('p2')[2])).toBe(true);
    expect(row('p3')[0]).toBe(0);
    expect(Number.isNaN(row('p3')[1])).toBe(true);
    expect(row('p3')[2]).toBe(0);
  });

  it('LMSYS arena CSV layout (one-hot winner_model_a/b/tie, prompts as JSON lists of turns)', async () => {
    const { r, m, row } = await imported(at('pairwise-lmsys.csv'));
    expect(r).toMatchObject({ format: 'pairwise', queries: 3, models: 5, labels: 6 });
    const j = (name: string) => m.models.indexOf(name);
    expect(row('30192')[j('gpt-4-1106-preview')]).toBe(1);
    expect(row('30192')[j('gpt-4-0613')]).toBe(0);
    expect(row('53567')[j('gpt-4-0613')]).toBe(1);
    expect(row('65089')[j('mistral-medium')]).toBe(0.5);
    expect(m.texts[m.queryIds.indexOf('53567')]).toBe('What is the difference between marriage license and marriage certificate?\nWhich one should I get first?');
  });

  it('JSON lines with the same keys import as well', async () => {
    const file = join(scratch.dir, 'arena.jsonl');
    writeFileSync(file, [{ question_id: 'a', prompt: 'Hi', model_a: 'x', model_b: 'y', winner: 'model_b' }, { question_id: 'a', prompt: 'Hi', model_a: 'x', model_b: 'y', winner: 'tie' }].map((o) => JSON.stringify(o)).join('\n') + '\n');
    const { r, row } = await imported(file);
    expect(r).toMatchObject({ format: 'pairwise', queries: 1, labels: 2 });
    expect(row('a')).toEqual([0.25, 0.75]);
  });

  it('a bad winner, one model compared with itself, a missing column: refused with row and column, nothing written', async () => {
    const cases: [string, number, string, RegExp][] = [
      ['prompt,model_a,model_b,winner\nHi,x,y,model_a\nYo,x,y,model_c\n', 3, 'winner', /"model_c" is not one of model_a, model_b, tie/],
      ['prompt,model_a,model_b,winner\nHi,x,x,tie\n', 2, 'model_b', /the same model \("x"\)/],
      ['prompt,model_a,model_b,winner_model_a,winner_model_b,winner_tie\nHi,x,y,1,1,0\n', 2, 'winner_model_a', /exactly one of/],
      ['prompt,model_a,model_b,winner_model_a,winner_model_b\nHi,x,y,1,0\n', 2, 'winner_tie', /missing column: winner_tie/],
    ];
    const db = openDatabase(':memory:');
    const before = dump(db);
    for (const [i, [text, row, column, message]] of cases.entries()) {
      const file = join(scratch.dir, `bad${i}.csv`);
      writeFileSync(file, text);
      const err = await importFile(db, file, { format: i === 3 ? 'pairwise' : 'auto' }, quietContext()).catch((e) => e);
      expect(err, text).toMatchObject({ code: 'FILE_FORMAT', details: { row, column } });
      expect(err.message).toMatch(message);
    }
    expect(dump(db)).toEqual(before);
  });
});
