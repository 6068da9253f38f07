import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, CsvTokenizer } from '../../../../src/main/engine/data/csv-tokenizer';
import { createRng } from '../../../../src/main/engine/predictor/rng';
import { trainFiles } from '../../../helpers/routerbench';

function tokenize(text: string, cuts: number[], sep: ',' | '\t' = ','): string[][] {
  const t = new CsvTokenizer(sep);
  const out: string[][] = [];
  let from = 0;
  for (const c of [...cuts, text.length]) {
    out.push(...t.push(text.slice(from, c)).map((r) => r.fields));
    from = c;
  }
  out.push(...t.end().map((r) => r.fields));
  return out;
}

const oracle = (text: string, sep = ','): string[][] => parse(text, { relax_column_count: true, skip_empty_lines: true, delimiter: sep });

describe('CSV tokenizer', () => {
  it('agrees with csv-parse on random CSV cut into random chunks', () => {
    const rng = createRng(3);
    const pieces = ['a', 'bc', ' ', 'x y', '1.5', '', 'é', '😀'];
    for (let trial = 0; trial < 400; trial++) {
      const sep = trial % 2 ? ',' : '\t';
      const rows: string[] = [];
      const nRows = 1 + rng.int(6);
      for (let r = 0; r < nRows; r++) {
        const fields: string[] = [];
        for (let f = 0; f < 1 + rng.int(4); f++) {
          const v = pieces[rng.int(pieces.length)] + (rng.next() < 0.3 ? [',', '\t', '"', '\n', '\r\n', '""'][rng.int(6)] + pieces[rng.int(pieces.length)] : '');
          fields.push(/[",\t\r\n]/.test(v) || (v === '' && rng.next() < 0.5) ? `"${v.replace(/"/g, '""')}"` : v);
        }
        rows.push(fields.join(sep));
      }
      const eol = rng.next() < 0.5 ? '\n' : '\r\n';
      const text = rows.join(eol) + (rng.next() < 0.5 ? eol : '') + (rng.next() < 0.2 ? eol + eol : '');
      const cuts = Array.from({ length: rng.int(5) }, () => rng.int(text.length + 1)).sort((a, b) => a - b);
      expect(tokenize(text, cuts, sep), JSON.stringify({ text, cuts })).toEqual(oracle(text, sep));
    }
  });

  it('reads RouterBench exactly like csv-parse, even in 7-character chunks', () => {
    const text = readFileSync(trainFiles[1], 'utf8');
    const cuts = Array.from({ length: Math.floor(text.length / 7) }, (_, i) => (i + 1) * 7);
    expect(tokenize(text, cuts)).toEqual(oracle(text));
  });

  it('reports a quote left open at the end, and junk after a closing quote, with the line', () => {
    expect(() => tokenize('a,b\n1,"open\nstill open', [7])).toThrow(CsvSyntaxError);
    try {
      tokenize('a,b\n1,2\n3,"x"y\n', []);
    } catch (e) {
      expect(e).toMatchObject({ recordsBefore: 2, line: 3, field: 1 });
    }
    expect.assertions(2);
  });

  it('accepts a final CR after a quoted field at the very end', () => {
    expect(tokenize('a,b\r\n"x","y"\r', [])).toEqual([['a', 'b'], ['x', 'y']]);
  });

  it('counts lines through quoted newlines', () => {
    const t = new CsvTokenizer();
    const recs = [...t.push('h1,h2\n"a\nb",c\r\nd,e\n'), ...t.end()];
    expect(recs.map((r) => r.line)).toEqual([1, 3, 4]);
  });
});
