import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src/main/engine/store/database';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { importDemand } from '../../../../src/main/engine/demand/import';
import { requestStream } from '../../../../src/main/engine/demand/stream';
import { demandIntervals } from '../../../../src/main/engine/demand/intervals';
import { scratchDir } from '../../../helpers/engine';
import { writeRowsParquet } from '../../../helpers/parquet';
import { dump } from '../../../helpers/dump';

const scratch = scratchDir('routeplan-demand-');
afterAll(() => scratch.cleanup());
const write = (name: string, text: string) => {
  const path = join(scratch.dir, name);
  writeFileSync(path, text);
  return path;
};
const ctx = () => quietContext();
const fresh = () => openDatabase(':memory:');
const all = (db: Db, id: number) => [...requestStream(db, id)];

describe('each trace layout', () => {
  it('azure: ISO timestamps read as UTC, minute-aligned start, seven-digit fractions kept', async () => {
    const f = write('azure.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n2023-11-16 18:17:01.0000001,1000,10\n');
    const db = fresh();
    const r = await importDemand(db, [f], {}, ctx());
    expect(r).toMatchObject({ format: 'azure', rows: 3, report: { timestamps: 'iso', unsorted: 0, duplicates: 0 } });
    expect(r.summary.startIso).toBe('2023-11-16T18:15:00.000Z');
    expect(r.summary.spanS).toBe(180);
    const reqs = all(db, r.demandId);
    expect(reqs.map((q) => q.t)).toEqual([expect.closeTo(46.68059, 5), expect.closeTo(50.995169, 5), expect.closeTo(121.0, 5)]);
    expect(reqs.map((q) => [q.inputTokens, q.outputTokens])).toEqual([[374, 44], [396, 109], [1000, 10]]);
    expect(r.summary.inputTokens.mean).toBeCloseTo((374 + 396 + 1000) / 3, 9);
  });

  it.each([
    ['without Session ID', 'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n', ''],
    ['with Session ID and Elapsed time', 'Timestamp,Session ID,Elapsed time,Model,Request tokens,Response tokens,Total tokens,Log Type\n', 's1,0.5,'],
  ])('burstgpt %s: relative seconds, model and log type kept', async (_name, header, extra) => {
    const row = (t: number, model: string, i: number, o: number, log: string) => (extra ? `${t},${extra}${model},${i},${o},${i + o},${log}\n` : `${t},${model},${i},${o},${i + o},${log}\n`);
    const f = write(`burst-${extra ? 'new' : 'old'}.csv`, header + row(5, 'ChatGPT', 472, 18, 'Conversation log') + row(45, 'GPT-4', 1087, 0, 'API log') + row(70, 'ChatGPT', 300, 120, 'Conversation log'));
    const db = fresh();
    const r = await importDemand(db, [f], {}, ctx());
    expect(r).toMatchObject({ format: 'burstgpt', rows: 3, report: { timestamps: 'relative-s' } });
    expect(r.summary.startIso).toBeNull();
    expect(r.summary.models).toEqual(['ChatGPT', 'GPT-4']);
    expect(r.summary.tasks).toEqual(['Conversation log', 'API log']);
    expect(all(db, r.demandId)).toEqual([
      { t: 5, inputTokens: 472, outputTokens: 18, model: 'ChatGPT', task: 'Conversation log' },
      { t: 45, inputTokens: 1087, outputTokens: 0, model: 'GPT-4', task: 'API log' },
      { t: 70, inputTokens: 300, outputTokens: 120, model: 'ChatGPT', task: 'Conversation log' },
    ]);
  });

  it('mooncake JSONL: millisecond timestamps, hash_ids ignored', async () => {
    const f = write('mooncake.jsonl', '{"timestamp": 0, "input_length": 6758, "output_length": 500, "hash_ids": [0, 1]}\n{"timestamp": 0, "input_length": 7322, "output_length": 490, "hash_ids": [0, 14]}\n{"timestamp": 61500, "input_length": 100, "output_length": 5, "hash_ids": [2]}\n');
    const db = fresh();
    const r = await importDemand(db, [f], {}, ctx());
    expect(r).toMatchObject({ format: 'mooncake', rows: 3, report: { timestamps: 'relative-ms', duplicates: 1 } });
    expect(all(db, r.demandId).map((q) => q.t)).toEqual([0, 0, 61.5]);
  });

  it('generic CSV with epoch milliseconds, model, task and tenant', async () => {
    const t0 = Date.UTC(2025, 0, 6, 9, 0, 0);
    const f = write('generic.csv', `timestamp,prompt_tokens,completion_tokens,model,task,tenant\n${t0},10,20,a,chat,x\n${t0 + 1500},30,40,b,code,y\n`);
    const db = fresh();
    const r = await importDemand(db, [f], {}, ctx());
    expect(r).toMatchObject({ format: 'generic', report: { timestamps: 'epoch-ms', columns: { timestamp: 'timestamp', input: 'prompt_tokens', output: 'completion_tokens', model: 'model', task: 'task', tenant: 'tenant' } } });
    expect(r.summary.startIso).toBe('2025-01-06T09:00:00.000Z');
    expect(all(db, r.demandId)).toEqual([
      { t: 0, inputTokens: 10, outputTokens: 20, model: 'a', task: 'chat', tenant: 'x' },
      { t: 1.5, inputTokens: 30, outputTokens: 40, model: 'b', task: 'code', tenant: 'y' },
    ]);
  });

  it('generic JSONL with ISO times carrying an offset, epoch seconds, and --map', async () => {
    const iso = write('iso.jsonl', '{"time": "2025-01-06T10:00:30+01:00", "input_tokens": 5, "output_tokens": 6}\n');
    const db = fresh();
    const a = await importDemand(db, [iso], {}, ctx());
    expect(a.summary.startIso).toBe('2025-01-06T09:00:00.000Z');
    const epoch = write('epoch.csv', 'arrived,prompt_len,answer_len\n1736153000,5,6\n1736153001.25,7,8\n');
    const b = await importDemand(db, [epoch], { map: { timestamp: 'arrived', input: 'prompt_len', output: 'answer_len' } }, ctx());
    expect(b.report).toMatchObject({ timestamps: 'epoch-s', columns: { timestamp: 'arrived', input: 'prompt_len', output: 'answer_len' } });
    expect(all(db, b.demandId).map((q) => q.t)).toEqual([20, 21.25]);
  });

  it('generic Parquet', async () => {
    const f = join(scratch.dir, 'trace.parquet');
    writeRowsParquet(f, [{ name: 'timestamp', type: 'DOUBLE' }, { name: 'input_tokens', type: 'INT32' }, { name: 'output_tokens', type: 'INT32' }, { name: 'model', type: 'STRING' }], [[0.5, 10, 1, 'm'], [1.5, 20, 2, 'm'], [70, 30, 3, 'n']]);
    const db = fresh();
    const r = await importDemand(db, [f], {}, ctx());
    expect(r).toMatchObject({ format: 'generic', rows: 3, report: { timestamps: 'relative-s' } });
    expect(all(db, r.demandId).map((q) => [q.t, q.inputTokens, q.model])).toEqual([[0.5, 10, 'm'], [1.5, 20, 'm'], [70, 30, 'n']]);
  });

  it('several files form one demand merged in time, each file stem the task of its rows', async () => {
    const a = write('conv.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:10,1,1\n2023-11-16 18:16:10,2,2\n');
    const b = write('code.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:40,3,3\n');
    const db = fresh();
    const r = await importDemand(db, [a, b], {}, ctx());
    expect(r.summary.tasks).toEqual(['conv', 'code']);
    expect(all(db, r.demandId).map((q) => [q.t, q.task])).toEqual([[10, 'conv'], [40, 'code'], [70, 'conv']]);
  });
});

describe('order and duplicates', () => {
  it('sorts rows out of order within the window and reports them and duplicate timestamps', async () => {
    const f = write('unsorted.csv', 'timestamp,input_tokens,output_tokens\n100,1,1\n30,2,2\n100,3,3\n200,4,4\n150,5,5\n');
    const db = fresh();
    const r = await importDemand(db, [f], {}, ctx());
    expect(r.report).toMatchObject({ unsorted: 2, duplicates: 1 });
    const reqs = all(db, r.demandId);
    // the origin is the earliest minute (0 s), not the first row's
    expect(reqs.map((q) => [q.t, q.inputTokens])).toEqual([[30, 2], [100, 1], [100, 3], [150, 5], [200, 4]]);
    const iv = demandIntervals(db, r.demandId, 60);
    expect(Array.from(iv.rate, (x) => x * 60)).toEqual([1, 2, 1, 1]);
  });

  it('refuses a row further out of order than the sort window, naming it, and writes nothing', async () => {
    const f = write('far.csv', 'timestamp,input_tokens,output_tokens\n0,1,1\n7300,1,1\n7400,1,1\n100,1,1\n');
    const db = fresh();
    const before = dump(db);
    await expect(importDemand(db, [f], {}, ctx())).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { file: f, row: 5, column: 'timestamp' }, message: expect.stringContaining('sort it by timestamp first') });
    expect(dump(db)).toEqual(before);
  });
});

describe('bad rows are refused with file, row and column; nothing is written', () => {
  it.each([
    ['negative', 'timestamp,input_tokens,output_tokens\n1,5,5\n2,-3,5\n', 3, 'input_tokens', /negative token count -3/],
    ['missing', 'timestamp,input_tokens,output_tokens\n1,5,5\n2,5,\n', 3, 'output_tokens', /missing token count/],
    ['fractional', 'timestamp,input_tokens,output_tokens\n1,5.5,5\n', 2, 'input_tokens', /not a whole number/],
    ['bad timestamp', 'timestamp,input_tokens,output_tokens\n1,5,5\nsoon,5,5\n', 3, 'timestamp', /not a number of seconds/],
  ])('%s', async (name, text, row, column, message) => {
    const f = write(`${name}.csv`, text);
    const db = fresh();
    const before = dump(db);
    await expect(importDemand(db, [f], {}, ctx())).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { file: f, row, column }, message: expect.stringMatching(message) });
    expect(dump(db)).toEqual(before);
  });

  it('an unknown layout is refused with the accepted layouts listed', async () => {
    const f = write('unknown.csv', 'when,what\n1,2\n');
    await expect(importDemand(fresh(), [f], {}, ctx())).rejects.toMatchObject({ code: 'FILE_FORMAT', message: expect.stringMatching(/accepted layouts: azure .*burstgpt .*mooncake .*generic/) });
  });

  it('a forced layout that does not fit names the missing column', async () => {
    const f = write('notazure.csv', 'timestamp,input_tokens,output_tokens\n1,2,3\n');
    await expect(importDemand(fresh(), [f], { format: 'azure' }, ctx())).rejects.toMatchObject({ code: 'FILE_FORMAT', details: { column: 'contexttokens' } });
  });

  it('a cancelled import writes nothing', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i / 100},5,5`).join('\n');
    const f = write('long.csv', `timestamp,input_tokens,output_tokens\n${rows}\n`);
    const db = fresh();
    const before = dump(db);
    const abort = new AbortController();
    let seen = 0;
    const c = quietContext(() => {
      if (++seen === 3) abort.abort();
    }, abort.signal);
    await expect(importDemand(db, [f], {}, c)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(dump(db)).toEqual(before);
  });

  it('the same content twice is refused (CONFLICT)', async () => {
    const f = write('twice.csv', 'timestamp,input_tokens,output_tokens\n1,2,3\n');
    const db = fresh();
    await importDemand(db, [f], {}, ctx());
    await expect(importDemand(db, [f], { name: 'again' }, ctx())).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
