// Mutations of a valid input file for the import fuzz corpus: what broken exporters, partial
// downloads, wrong encodings and hostile files look like. Deterministic from a seed.

export type Rng = () => number;

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

export type Mutation = (input: Buffer, r: Rng, json: boolean) => Buffer;

const flipBytes: Mutation = (b, r) => {
  const out = Buffer.from(b);
  for (let k = int(r, 1, 6); k > 0 && out.length; k--) out[int(r, 0, out.length - 1)] = int(r, 0, 255);
  return out;
};
const truncate: Mutation = (b, r) => b.subarray(0, int(r, 0, Math.max(0, b.length - 1)));
const utf16: Mutation = (b, r) => {
  const le = Buffer.from(b.toString('utf8'), 'utf16le');
  if (r() < 0.5) return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  return r() < 0.5 ? le : Buffer.from(le.swap16());
};
const latin1: Mutation = (b) => Buffer.from(b.toString('utf8').replace(/e/g, 'é'), 'latin1');
const invalidUtf8: Mutation = (b, r) => {
  const at = int(r, 0, b.length);
  return Buffer.concat([b.subarray(0, at), Buffer.from(pick(r, [[0xc3], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xf8, 0x88]])), b.subarray(at)]);
};
const nul: Mutation = (b, r) => {
  const at = int(r, 0, b.length);
  return Buffer.concat([b.subarray(0, at), Buffer.alloc(int(r, 1, 8)), b.subarray(at)]);
};
/** A multi-megabyte field: a question, a number, a model name. */
const hugeField: Mutation = (b, r) => {
  const s = b.toString('utf8');
  const big = pick(r, ['x', '9', 'é', 'a,b', '"']).repeat(int(r, 1, 3) << 20);
  const at = s.indexOf(pick(r, [',', ':', '\t', '"', '\n']), int(r, 0, s.length - 1));
  return Buffer.from(at < 0 ? s + big : s.slice(0, at + 1) + big + s.slice(at + 1));
};
const deepNesting: Mutation = (b, r, json) => {
  const depth = int(r, 1000, 50_000);
  const open = pick(r, ['[', '{"a":']);
  const close = open === '[' ? ']' : '}';
  const nest = open.repeat(depth) + '1' + (r() < 0.8 ? close.repeat(depth) : '');
  const s = b.toString('utf8');
  if (!json) return Buffer.from(s.replace('\n', '\n' + nest + '\n'));
  // in place of the first value
  return Buffer.from(s.replace(/:\s*("[^"]*"|[-\d.]+|true|false|null)/, (_m) => ':' + nest));
};
const protoKeys: Mutation = (b, r, json) => {
  const s = b.toString('utf8');
  const key = pick(r, ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);
  if (json) return Buffer.from(s.replace(/"([^"]+)":/, (_m) => `"${key}": {"polluted": true, "scores": 1}, "$1":`));
  const nl = s.indexOf('\n');
  const header = s.slice(0, nl < 0 ? s.length : nl);
  const cols = header.split(/[,\t]/);
  cols[int(r, 0, cols.length - 1)] = key;
  return Buffer.from(cols.join(header.includes('\t') ? '\t' : ',') + (nl < 0 ? '' : s.slice(nl)));
};
const lines: Mutation = (b, r) => {
  const ls = b.toString('utf8').split('\n');
  const i = int(r, 0, ls.length - 1);
  const what = int(r, 0, 4);
  if (what === 0) ls.splice(i, 1);
  else if (what === 1) ls.splice(i, 0, ls[i]);
  else if (what === 2) ls[i] = ls[i].split('').reverse().join('');
  else if (what === 3) ls.splice(i, 0, pick(r, ['', ',,,,', '"', '{', ']', '\r', 'NaN,Infinity,-1e400', '1e999']));
  else ls.sort(() => r() - 0.5);
  return Buffer.from(ls.join(pick(r, ['\n', '\r\n', '\r'])));
};
const numbers: Mutation = (b, r) =>
  Buffer.from(b.toString('utf8').replace(/\b\d+(\.\d+)?\b/g, (m) => (r() < 0.3 ? pick(r, ['-1', '1e308', 'NaN', '', '0x10', '1,5', '٣', '∞', '2']) : m)));

export const mutations: Record<string, Mutation> = { flipBytes, truncate, utf16, latin1, invalidUtf8, nul, hugeField, deepNesting, protoKeys, lines, numbers };

/** The i-th mutant of `seedFile`: 1–2 mutations, the big ones (huge fields) more rarely. */
export function mutant(seedFile: Buffer, i: number, json: boolean): { bytes: Buffer; applied: string[] } {
  const r = rng(0x9e3779b9 ^ (i * 2654435761));
  const names = Object.keys(mutations).filter((n) => n !== 'hugeField' || r() < 0.25);
  const applied = Array.from({ length: r() < 0.7 ? 1 : 2 }, () => pick(r, names));
  let bytes = seedFile;
  for (const n of applied) bytes = mutations[n](bytes, r, json);
  return { bytes, applied };
}

/**
 * The i-th mutant of a Parquet file: a truncation, or byte flips in its footer (the metadata that
 * every read starts from). Not flips inside data pages: hyparquet's RLE decoder takes a run
 * length from the data unchecked, so a flipped page can make it loop for up to 2^31 steps
 * (docs/data.md, "Parquet"); that case needs the decoder in a worker with a time limit.
 */
export function parquetMutant(file: Buffer, i: number): { bytes: Buffer; applied: string[] } {
  const r = rng(0x51ed270b ^ (i * 2654435761));
  if (r() < 0.4) return { bytes: file.subarray(0, int(r, 0, file.length - 1)), applied: ['truncate'] };
  const out = Buffer.from(file);
  const footer = Math.min(out.length, 8 + out.readUInt32LE(out.length - 8));
  for (let k = int(r, 1, 4); k > 0; k--) out[out.length - 1 - int(r, 0, footer - 1)] = int(r, 0, 255);
  return { bytes: out, applied: ['footerFlip'] };
}

// The defect classes of issue 31, as mutations: numbers in JavaScript syntax or out of range,
// duplicate header columns, one name in several forms, names like Object members, pairwise
// winners that are property names. Used by the held-out fuzz (tests/main/engine/data/fuzz-held-out.test.ts).
const numberSyntax: Mutation = (b, r) => {
  let done = false;
  return Buffer.from(
    b.toString('utf8').replace(/(?<=[,:\t\s])\d+(\.\d+)?(?=[,\t\n\r}\s])/g, (m) => {
      if (done && r() < 0.7) return m;
      done = true;
      return pick(r, ['0x10', '0b11', '0o7', '1e400', '-1e400', '1e-400', 'Infinity', '-0', '1e15', '1e308', '0.5e-320', '1_000', '+.5', '5.']);
    }),
  );
};
/** A JSON scalar's text -> different text of the same kind (by text alone: earlier mutations may have broken it). */
const otherValue = (v: string): string => {
  const t = v.trim();
  if (/^-?\d/.test(t)) return Number(t) === 0 ? '1' : '0';
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return `${t.slice(0, -1)}-other"`;
  return t === 'true' ? 'false' : t === 'false' ? 'true' : `${t}0`;
};
const duplicateHeader: Mutation = (b, r, json) => {
  const s = b.toString('utf8');
  // The second key carries another value: a reader that keeps either one silently imports a guess.
  if (json) return Buffer.from(s.replace(/"([a-z_]+)":\s*([^,{}\[\]]+),/, (_m, k: string, v: string) => `"${k}": ${v}, "${pick(r, [k.toUpperCase(), ` ${k}`, k])}": ${otherValue(v)},`));
  const nl = s.indexOf('\n');
  const sep = s.slice(0, nl).includes('\t') ? '\t' : ',';
  const lines = s.split('\n');
  const cols = lines[0].split(sep);
  const j = int(r, 0, cols.length - 1);
  const variant = pick(r, [cols[j].toUpperCase(), `${cols[j]} `, cols[j]]);
  return Buffer.from(lines.map((l, i) => (l === '' ? l : `${l}${sep}${i === 0 ? variant : l.split(sep)[j] ?? ''}`)).join('\n'));
};
const nameForms: Mutation = (b, r) => {
  const s = b.toString('utf8');
  const names = [...new Set(s.match(/[A-Za-z][\w./-]{2,}/g) ?? [])];
  if (!names.length) return b;
  const name = pick(r, names);
  const variant = pick(r, [` ${name}  `, name.toUpperCase(), `${name}\u0301`, `Cafe\u0301`, 'Caf\u00e9', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype']);
  return Buffer.from(s.split(name).join(variant));
};
const winnerNames: Mutation = (b, r) => Buffer.from(b.toString('utf8').replace(/\b(model_a|model_b|tie)\b(?=[\r\n,]|$)/m, () => pick(r, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'TIE', ' model_b '])));

export const hardeningMutations: Record<string, Mutation> = { numberSyntax, duplicateHeader, nameForms, winnerNames };

/** The i-th case of the held-out fuzz: 1–3 mutations, at least one of the hardening kinds half the time; no multi-megabyte fields (bounded work). */
export function heldOutMutant(seedFile: Buffer, seed: number, json: boolean): { bytes: Buffer; applied: string[] } {
  const r = rng(0x2545f491 ^ Math.imul(seed, 2246822519));
  const all = { ...mutations, ...hardeningMutations };
  const names = Object.keys(all).filter((n) => n !== 'hugeField' && n !== 'deepNesting');
  const applied = [r() < 0.5 ? pick(r, Object.keys(hardeningMutations)) : pick(r, names), ...Array.from({ length: int(r, 0, 2) }, () => pick(r, names))];
  let bytes = seedFile;
  for (const n of applied) bytes = all[n](bytes, r, json);
  return { bytes, applied };
}

/**
 * The i-th held-out Parquet case: a hardening mutation of a CSV seed's text (hostile numbers, a
 * duplicate column, names in several forms or named like Object members), written as Parquet by
 * `toParquet`, and a third of the time also cut short or flipped in its footer.
 */
export function heldOutParquetMutant(csvSeed: Buffer, seed: number, toParquet: (csv: string) => Buffer): { bytes: Buffer; applied: string[] } {
  const r = rng(0x7f4a7c15 ^ Math.imul(seed, 2654435761));
  const kinds = ['numberSyntax', 'duplicateHeader', 'nameForms'] as const;
  const kind = pick(r, kinds);
  const applied: string[] = [kind];
  let bytes = toParquet(hardeningMutations[kind](csvSeed, r, false).toString('utf8'));
  if (r() < 1 / 3) {
    const m = parquetMutant(bytes, int(r, 0, 1 << 30));
    bytes = m.bytes;
    applied.push(...m.applied);
  }
  return { bytes, applied };
}
