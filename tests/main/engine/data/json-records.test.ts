import { describe, expect, it } from 'vitest';
import { jsonRecords } from '../../../../src/main/engine/data/json-records';
import { createRng } from '../../../../src/main/engine/predictor/rng';

async function collect(text: string, size: number) {
  async function* chunks() {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }
  const out: unknown[] = [];
  for await (const r of jsonRecords('mem.json', chunks())) out.push(r.value);
  return out;
}

describe('streaming JSON records', () => {
  it('cuts lists and JSON lines at any chunk size, whatever the strings hold', async () => {
    const rng = createRng(5);
    const tricky = ['{', '}', '[', ']', '"', '\\', ',', '\n', 'é', '😀', 'plain'];
    const items = Array.from({ length: 60 }, (_, i) => ({
      question: Array.from({ length: 1 + rng.int(4) }, () => tricky[rng.int(tricky.length)]).join(' '),
      scores: { a: rng.int(2), 'b}': rng.next() < 0.2 ? null : rng.next() },
      nested: { list: [1, { x: '}]' }], i },
    }));
    const list = JSON.stringify(items, null, rng.int(3));
    const lines = items.map((x) => JSON.stringify(x)).join('\n') + '\n';
    for (const size of [1, 3, 17, 1000, 1 << 20]) {
      expect(await collect(list, size)).toEqual(items);
      expect(await collect(lines, size)).toEqual(items);
    }
    expect(await collect('[]', 1)).toEqual([]);
  });

  it('names the object and line of a syntax error, and a list left open', async () => {
    await expect(collect('[{"a":1},\n{"a":2} {"a":3}]', 4)).rejects.toThrow(/expected "," or "]" after object 2/);
    await expect(collect('[{"a":1},\n 7]', 4)).rejects.toMatchObject({ details: { row: 2, line: 2 } });
    await expect(collect('[{"a":1}', 4)).rejects.toThrow(/truncated JSON: the list is not closed/);
    await expect(collect('[{"a":1}] x', 4)).rejects.toThrow(/after the closing "]"/);
    await expect(collect('hello', 4)).rejects.toThrow(/expected "\[" .* or "\{"/);
  });
});
