import type { IncomingMessage } from 'node:http';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EngineError } from '../../shared/errors';

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

/** A name that cannot leave its folder; the extension is kept so format detection still works. */
export function safeUploadName(raw: string | null): string {
  const name = basename(raw ?? '').replace(/[^\w.\-]+/g, '_').replace(/^\.+/, '');
  return name.slice(-120) || 'upload.bin';
}

/**
 * Streams a request body to a fresh file under `dir`. The size limit is counted on the bytes that
 * arrive (a chunked body has no Content-Length), and a partial file is removed on failure.
 */
export async function receiveUpload(req: IncomingMessage, dir: string, rawName: string | null, limitBytes = MAX_UPLOAD_BYTES): Promise<{ path: string; name: string; bytes: number }> {
  const name = safeUploadName(rawName);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new EngineError('INVALID_INPUT', `file too large (limit ${limitBytes} bytes)`, { limitBytes });
  // A fresh folder per upload keeps the user's own file name, which the importer uses as the
  // default dataset name and in its error messages.
  const folder = join(dir, randomBytes(6).toString('hex'));
  mkdirSync(folder, { recursive: true });
  const dest = join(folder, name);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > limitBytes) cb(new EngineError('INVALID_INPUT', `file too large (limit ${limitBytes} bytes)`, { limitBytes }));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(dest));
  } catch (err) {
    rmSync(folder, { recursive: true, force: true });
    throw err;
  }
  return { path: dest, name, bytes };
}
