import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../../src/main/engine/data/import';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { openDatabase, type Db } from '../../../../src/main/engine/store/database';
import { loadLabelMatrix } from '../../../../src/main/engine/store/datasets';
import { EngineError } from '../../../../src/shared/errors';
import { dump } from '../../../helpers/dump';
import { scratchDir } from '../../../helpers/engine';

const scratch = scratchDir('routeplan-hardening-');
afterAll(() => scratch.cleanup());
let n = 0;
const file = (ext: string, text: string) => {
  const f = join(scratch.dir, `f${++n}.${ext}`);
  writeFileSync(f, text);
  return f;
};

/** A workspace with models a, b, so that catalogs can name them. */
async function workspace(): Promise<Db> {
  const db = openDatabase(':memory:');
  await importFile(db, file('csv', 'question,model,score\nq1,a,1\nq1,b,0\n'), { name: 'base' }, quietContext());
  return db;
}

async function refusal(db: Db, path: string, opts = {}): Promise<EngineError> {
  const before = dump(db);
  try {
    await importFile(db, path, opts, quietContext());
  } catch (err) {
    expect(dump(db)).toEqual(before); // nothing written on refusal
    return err as EngineError;
  }
  throw new Error(`${path} was accepted`);
}

const tricky = ['constructor', 'toString', 'hasOwnProperty'];

describe('prototype-safe parsing: names like Object members are ordinary names in every format', () => {
  it('models and tasks named constructor, toString, hasOwnProperty import with their labels intact (wide, long, JSON, pairwise)', async () => {
    const db = openDatabase(':memory:');
    const wide = file('csv', `prompt,eval_name,${tricky.map((m) => `${m},${m}|total_cost`).join(',')}\nq1,constructor,1,0.1,0,0.2,1,0.3\nq2,toString,0,0.1,1,0.2,0,0.3\n`);
    const long = file('csv', `question,model,score,task\n${tricky.map((m, i) => `lq,${m},${i % 2},hasOwnProperty`).join('\n')}\n`);
    const json = file('json', JSON.stringify([{ question: 'jq', task: 'toString', scores: { constructor: 1, toString: 0, hasOwnProperty: 1 }, costs: { toString: 0.5 } }]));
    const pair = file('csv', 'prompt,model_a,model_b,winner\npq,constructor,toString,model_a\npq,toString,hasOwnProperty,tie\n');
    for (const [f, name] of [[wide, 'wide'], [long, 'long'], [json, 'json'], [pair, 'pair']]) await importFile(db, f, { name }, quietContext());
    const byName = (name: string) => loadLabelMatrix(db, (db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number }).id);
    const w = byName('wide');
    expect(w.models).toEqual(tricky);
    expect(Array.from(w.scores)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(w.tasks).toEqual(['constructor', 'toString']);
    expect(byName('long').tasks).toEqual(['hasOwnProperty']);
    const j = byName('json');
    expect(j.models).toEqual(tricky);
    expect(Array.from(j.scores)).toEqual([1, 0, 1]);
    expect(j.costs[1]).toBe(0.5);
    expect(Number.isNaN(j.costs[0])).toBe(true); // no inherited "cost" for constructor
    const p = byName('pair');
    expect(p.models).toEqual(tricky);
    expect(Array.from(p.scores)).toEqual([1, 0.25, 0.5]); // constructor won 1/1, toString 0 + 1/2 over 2, hasOwnProperty a tie
  });

  it('a winner named constructor, __proto__ or toString is refused with its row, never taken as an outcome', async () => {
    for (const winner of ['constructor', '__proto__', 'toString']) {
      const db = openDatabase(':memory:');
      const err = await refusal(db, file('csv', `prompt,model_a,model_b,winner\np,m1,m2,model_a\np,m1,m2,${winner}\n`));
      expect(err.details).toMatchObject({ row: 3, column: 'winner' });
      expect(err.message).toMatch(/is not one of model_a, model_b/);
    }
  });

  it('__proto__ as a model, task or GPU name is refused by name in every format (never silently dropped)', async () => {
    const db = await workspace();
    const cases: [string, string, RegExp][] = [
      [file('csv', 'prompt,__proto__,__proto__|total_cost,a,a|total_cost\nq,1,0.1,0,0.1\n'), '__proto__', /model name "__proto__" is reserved/],
      [file('csv', 'question,model,score\nq,__proto__,1\n'), 'model', /model name "__proto__" is reserved/],
      [file('csv', 'question,model,score,task\nq,a,1,__proto__\n'), 'task', /task "__proto__" is reserved/],
      [file('json', '[{"question":"q","scores":{"a":1,"__proto__":0}}]'), 'scores.__proto__', /model name "__proto__" is reserved/],
      [file('json', '[{"question":"q","task":"__proto__","scores":{"a":1}}]'), 'task', /task "__proto__" is reserved/],
      [file('csv', 'prompt,model_a,model_b,winner\np,__proto__,a,model_a\n'), 'model_a', /model name "__proto__" is reserved/],
      [file('csv', 'gpu_type,count,hourly_price,memory_gb\n__proto__,1,2,80\n'), 'gpu_type', /"__proto__" is reserved/],
      [file('csv', 'model,price_in_per_m,price_out_per_m\n__proto__,1,1\n'), 'model', /"__proto__" is reserved/],
    ];
    for (const [f, column, message] of cases) {
      const err = await refusal(db, f);
      expect(err.code, f).toBe('FILE_FORMAT');
      expect(err.details?.column, f).toBe(column);
      expect(err.message, f).toMatch(message);
    }
  });

  it('GPU types named like Object members are ordinary inventory rows', async () => {
    const db = await workspace();
    await importFile(db, file('csv', `gpu_type,count,hourly_price,memory_gb\n${tricky.map((g, i) => `${g},${i + 1},2,80`).join('\n')}\n`), {}, quietContext());
    expect(db.prepare('SELECT gpu_type, count FROM gpu_inventory ORDER BY count').all()).toEqual(tricky.map((g, i) => ({ gpu_type: g, count: i + 1 })));
  });
});

describe('one number grammar, bounds, duplicate headers, one name normalisation', () => {
  it('refuses hex, binary, octal, Infinity and NaN text, overflow and underflow, with row and column, in CSV and JSON', async () => {
    const db = await workspace();
    for (const [v, why] of [['0x10', /not a decimal number|not a number/], ['0b11', /not a decimal|not a number/], ['0o7', /not a decimal|not a number/], ['Infinity', /not a decimal|not a number/], ['1e400', /overflows/], ['1e-400', /underflows to zero/]] as const) {
      const err = await refusal(db, file('csv', `question,model,score,cost\nq,a,1,0.1\nr,a,1,${v}\n`));
      expect(err.details, v).toMatchObject({ row: 3, column: 'cost' });
      expect(err.message, v).toMatch(why);
      const label = await refusal(db, file('csv', `question,model,score\nq,a,1\nr,a,${v}\n`));
      expect(label.details, v).toMatchObject({ row: 3, column: 'score' });
    }
    const under = await refusal(db, file('json', '[{"question":"q","scores":{"a":1},"costs":{"a":1e-400}}]'));
    expect(under.message).toMatch(/underflows to zero/);
    const over = await refusal(db, file('json', '[{"question":"q","scores":{"a":1},"costs":{"a":1e400}}]'));
    expect(over.details).toMatchObject({ row: 1, column: 'costs.a' });
    const hexPrice = await refusal(db, file('csv', 'model,price_in_per_m,price_out_per_m\na,0x10,1\n'));
    expect(hexPrice.details).toMatchObject({ row: 2, column: 'price_in_per_m' });
  });

  it('bounds counts, prices and rates at the importer as the API does (1e15 GPUs, a 1e308 price)', async () => {
    const db = await workspace();
    const count = await refusal(db, file('csv', 'gpu_type,count,hourly_price,memory_gb\nH100,1e15,2,80\n'));
    expect(count.details).toMatchObject({ row: 2, column: 'count' });
    expect(count.message).toMatch(/at most 1000000/);
    const price = await refusal(db, file('json', '[{"gpu_type":"H100","count":1,"hourly_price":1e308,"memory_gb":80}]'));
    expect(price.details).toMatchObject({ column: 'hourly_price' });
    const catalog = await refusal(db, file('csv', 'model,price_in_per_m,price_out_per_m,rate_limit_qps\na,1,1e308,1\n'));
    expect(catalog.details).toMatchObject({ column: 'price_out_per_m' });
    const tokens = await refusal(db, file('csv', 'question,model,score,input_tokens\nq,a,1,1e12\n'));
    expect(tokens.details).toMatchObject({ row: 2, column: 'input_tokens' });
  });

  it('refuses duplicate columns naming both, in every CSV layout and in catalog/inventory JSON keys', async () => {
    const db = await workspace();
    const long = await refusal(db, file('csv', 'question,model,score,Score\nq,a,1,0\n'));
    expect(long.message).toMatch(/duplicate column: columns 3 \("score"\) and 4 \("Score"\)/);
    const wide = await refusal(db, file('csv', 'prompt,a,a|total_cost,a\nq,1,0.1,0\n'));
    expect(wide.message).toMatch(/duplicate column/);
    const inv = await refusal(db, file('csv', 'gpu_type,count,hourly_price,memory_gb,COUNT\nH100,1,2,80,5\n'));
    expect(inv.message).toMatch(/duplicate column/);
    const json = await refusal(db, file('json', '[{"gpu_type":"H100","count":1,"Count":5,"hourly_price":2,"memory_gb":80}]'));
    expect(json.message).toMatch(/duplicate column: "count" and "Count"/);
  });

  it('normalises model names the same way in every format: trimmed, NFC, case kept', async () => {
    const db = openDatabase(':memory:');
    const nfd = 'Cafe\u0301-7b'; // "Café-7b" decomposed
    const nfc = nfd.normalize('NFC');
    await importFile(db, file('csv', `question,model,score\nq,  ${nfd} ,1\nq,Model-X,0\n`), { name: 'long' }, quietContext());
    await importFile(db, file('json', JSON.stringify([{ question: 'j', scores: { [` ${nfd}`]: 1, 'model-x': 0 } }])), { name: 'json' }, quietContext());
    await importFile(db, file('csv', `prompt,model_a,model_b,winner\np,${nfd} ,Model-X,model_b\n`), { name: 'pair' }, quietContext());
    const names = db.prepare('SELECT name FROM models ORDER BY name').pluck().all();
    expect(names).toEqual(['Model-X', nfc, 'model-x'].sort());
  });

  it('refuses a record over the per-record limit by its row (CSV and JSON)', async () => {
    const db = await workspace();
    const big = 'x'.repeat((16 << 20) + 10);
    const csv = await refusal(db, file('csv', `question,model,score\nq,a,1\n"${big}",a,1\n`));
    expect(csv.details?.row).toBe(3);
    expect(csv.message).toMatch(/per-record limit/);
    const json = await refusal(db, file('json', `[{"question":"q","scores":{"a":1}},{"question":"${big}","scores":{"a":1}}]`));
    expect(json.details?.row).toBe(2);
    expect(json.message).toMatch(/per-record limit/);
  });

  it('refuses a key given twice in one JSON or JSON-lines record, naming the key and the row (never last-wins)', async () => {
    const db = await workspace();
    const cases: [string, string, number, string][] = [
      ['json', '[{"question":"q1","scores":{"a":1}},{"question":"q2","scores":{"a":1,"a":0}}]', 2, 'scores.a'],
      ['jsonl', '{"question":"q1","scores":{"a":1}}\n{"question":"q2","scores":{"a":1},"scores":{"a":0}}\n', 2, 'scores'],
      ['json', '[{"question":"q1","question":"q1","scores":{"a":1}}]', 1, 'question'],
      // The same key spelled with an escape is the same key.
      ['json', '[{"question":"q1","scores":{"a":1,"\\u0061":0}}]', 1, 'scores.a'],
    ];
    for (const [ext, text, row, key] of cases) {
      const err = await refusal(db, file(ext, text));
      expect(err.code, text).toBe('FILE_FORMAT');
      expect(err.details, text).toMatchObject({ row, column: key });
      expect(err.message, text).toContain(`"${key}" twice`);
    }
    // Equal keys in different objects, and a key equal to a value, are not duplicates.
    await importFile(db, file('json', '[{"question":"a","scores":{"a":1,"b":0},"costs":{"a":0.1,"b":0.2}}]'), { name: 'distinct' }, quietContext());
  });
});
