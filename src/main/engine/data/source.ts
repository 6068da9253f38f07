import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileError, EngineError } from '../../../shared/errors';

// Reading a file as text, chunk by chunk, refusing what is not UTF-8 text with the line named:
// binary files (NUL bytes), UTF-16 with or without a byte-order mark, invalid UTF-8 (Latin-1 etc.).

const CHUNK = 1 << 20;

export function fileSize(file: string): number {
  let stat;
  try {
    stat = statSync(file);
  } catch (err) {
    throw new EngineError('NOT_FOUND', `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file });
  }
  if (!stat.isFile()) throw new EngineError('INVALID_INPUT', `${file} is not a file`, { file });
  return stat.size;
}

/** The first bytes of a file, for format detection and the checks that need a look ahead. */
export function peekBytes(file: string, length = 64 * 1024): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    return buf.subarray(0, readSync(fd, buf, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * SHA-256 over the files' own SHA-256s, sorted: the identity of an import whatever the order in
 * which its files are named (re-imports are refused).
 */
export async function contentHash(files: string[]): Promise<string> {
  const digests: string[] = [];
  for (const f of files) {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(f, { highWaterMark: CHUNK })) h.update(chunk as Buffer);
    digests.push(h.digest('hex'));
  }
  return createHash('sha256').update(digests.sort().join('\n')).digest('hex');
}

/** Throws if the opening bytes say the file is UTF-16 or binary. */
export function checkOpening(file: string, head: Buffer): void {
  if (head.length === 0) throw fileError(file, null, null, 'the file is empty');
  if (head[0] === 0xff && head[1] === 0xfe) throw fileError(file, 1, null, 'the file is UTF-16 little-endian (byte-order mark FF FE); save it as UTF-8');
  if (head[0] === 0xfe && head[1] === 0xff) throw fileError(file, 1, null, 'the file is UTF-16 big-endian (byte-order mark FE FF); save it as UTF-8');
  const sample = head.subarray(0, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++;
  const half = sample.length / 2;
  // Text in UTF-16 without a BOM: every other byte of ASCII characters is zero.
  if (oddNul > 0.3 * half && evenNul < 0.05 * half) throw fileError(file, 1, null, 'the file looks like UTF-16 little-endian without a byte-order mark (every other byte is zero); save it as UTF-8');
  if (evenNul > 0.3 * half && oddNul < 0.05 * half) throw fileError(file, 1, null, 'the file looks like UTF-16 big-endian without a byte-order mark (every other byte is zero); save it as UTF-8');
}

/** The opening checks plus NUL bytes and invalid UTF-8 in the first bytes (before format detection). */
export function checkHead(file: string, head: Buffer): void {
  checkOpening(file, head);
  const nul = head.indexOf(0);
  if (nul !== -1) throw fileError(file, 1 + countNewlines(head, nul), null, `binary content: a NUL byte at byte ${nul}; this is not a text file`, { byte: nul });
  const bad = firstInvalidUtf8(head);
  if (bad !== -1) throw fileError(file, 1 + countNewlines(head, bad), null, `not valid UTF-8 (byte 0x${head[bad].toString(16).padStart(2, '0')} at byte ${bad}); the file may be Latin-1 or Windows-1252: save it as UTF-8`, { byte: bad });
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(buf: Buffer): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let j = 1; j <= need; j++) {
      if (i + j >= buf.length) return -1; // incomplete at the end: more bytes may follow
      if ((buf[i + j] & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function countNewlines(buf: Buffer, end = buf.length): number {
  let n = 0;
  for (let at = buf.indexOf(10); at !== -1 && at < end; at = buf.indexOf(10, at + 1)) n++;
  return n;
}

/**
 * The file's text in chunks (UTF-8 BOM dropped). `onBytes` sees the running byte count for
 * progress; `check` is called between chunks (cancellation).
 */
export async function* readText(file: string, onBytes: (bytes: number) => void, check: () => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let lines = 1;
  let first = true;
  for await (const raw of createReadStream(file, { highWaterMark: CHUNK })) {
    check();
    let chunk = raw as Buffer;
    if (first) {
      checkOpening(file, chunk);
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      first = false;
    }
    const nul = chunk.indexOf(0);
    if (nul !== -1) throw fileError(file, lines + countNewlines(chunk, nul), null, `binary content: a NUL byte at byte ${bytes + nul}; this is not a text file`, { byte: bytes + nul });
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const at = Math.max(0, firstInvalidUtf8(chunk));
      throw fileError(file, lines + countNewlines(chunk, at), null, `not valid UTF-8 (byte 0x${chunk[at]?.toString(16).padStart(2, '0')} at byte ${bytes + at}); the file may be Latin-1 or Windows-1252: save it as UTF-8`, { byte: bytes + at });
    }
    lines += countNewlines(chunk);
    bytes += (raw as Buffer).length;
    onBytes(bytes);
    if (text) yield text;
  }
  if (first) throw fileError(file, null, null, 'the file is empty');
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw fileError(file, lines, null, 'not valid UTF-8: the file ends inside a multi-byte character (truncated?)');
  }
}
