import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { EngineError } from '../../../shared/errors';

/** Largest policy file read (an embedded ONNX scorer of a big ensemble stays far below). */
export const MAX_POLICY_BYTES = 512 << 20;
/** Largest file a policy may reference (the ONNX scorer). */
export const MAX_REFERENCED_BYTES = 256 << 20;

const CHUNK = 1 << 20;

export interface ReadBytes {
  bytes: Buffer;
  sha256: string;
}

/**
 * A file read whole, but only when it is a regular file no larger than `cap` (checked on the open
 * descriptor before reading, so /dev/zero or a FIFO is refused at once), hashed while it streams
 * in. `fd` 0 (stdin) is read up to the cap.
 */
function readCapped(fd: number, what: string, file: string, cap: number, allowStream: boolean): ReadBytes {
  const st = fstatSync(fd);
  if (!st.isFile() && !(allowStream && (st.isFIFO() || st.isSocket() || st.isCharacterDevice()) && fd === 0)) {
    throw new EngineError('FILE_FORMAT', `${what} ${file} is not a regular file`, { file, reason: 'not-regular-file' });
  }
  if (st.isFile() && st.size > cap) throw new EngineError('FILE_FORMAT', `${what} ${file} is ${st.size} bytes, over the limit of ${cap}`, { file, reason: 'too-large', limit: cap });
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(CHUNK);
    let n: number;
    try {
      n = readSync(fd, buf, 0, CHUNK, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((err as NodeJS.ErrnoException).code === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    total += n;
    if (total > cap) throw new EngineError('FILE_FORMAT', `${what} ${file} is over the limit of ${cap} bytes`, { file, reason: 'too-large', limit: cap });
    const part = buf.subarray(0, n);
    hash.update(part);
    parts.push(part);
  }
  return { bytes: Buffer.concat(parts, total), sha256: hash.digest('hex') };
}

/** The policy file itself ('-' = stdin): a regular file (or piped stdin) up to MAX_POLICY_BYTES. */
export function readPolicyFile(file: string, cap = MAX_POLICY_BYTES): string {
  if (file === '-') return readCapped(0, 'policy', 'stdin', cap, true).bytes.toString('utf8');
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new EngineError('NOT_FOUND', `cannot read policy ${file}: ${(err as Error).message}`, { file });
  }
  try {
    return readCapped(fd, 'policy', file, cap, false).bytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Why a path a policy names is not a plain relative path inside its folder, or null when it is. */
export function confinementProblem(ref: string): string | null {
  if (ref.includes('\0')) return 'contains a NUL character';
  if (isAbsolute(ref) || /^[a-zA-Z]:/.test(ref) || ref.startsWith('\\') || ref.startsWith('/')) return 'is an absolute path';
  const parts = ref.split(/[\\/]/);
  if (parts.some((p) => p === '..')) return 'climbs out with ".."';
  if (parts.some((p) => p === '' || p === '.')) return 'has an empty or "." segment';
  return null;
}

/**
 * A file a policy references, read only when it lies inside the policy's folder: a relative path
 * without `..`, no symlink at the end or on the way out of the folder, a regular file, at most
 * `cap` bytes (checked before reading), hashed while it streams in.
 */
export function readReferencedFile(policyFile: string, ref: string, what: string, cap = MAX_REFERENCED_BYTES): ReadBytes {
  const refuse = (reason: string, text: string) => new EngineError('FILE_FORMAT', `${policyFile}: ${what} "${ref}" ${text}; a policy may only reference files inside its own folder`, { file: policyFile, reference: ref, reason });
  const problem = confinementProblem(ref);
  if (problem) throw refuse('path-outside-folder', problem);
  let folder: string;
  try {
    folder = realpathSync(dirname(policyFile));
  } catch (err) {
    throw new EngineError('NOT_FOUND', `cannot resolve the folder of ${policyFile}: ${(err as Error).message}`, { file: policyFile });
  }
  const path = join(folder, ref);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw refuse('symlink', 'is a symbolic link');
    throw new EngineError('NOT_FOUND', `the policy's ${what} ${path} cannot be read: ${(err as Error).message}`, { file: path, reason: 'missing' });
  }
  try {
    // A symlinked folder on the way could still lead out: compare the real location.
    const real = realpathSync(path);
    const rel = relative(folder, real);
    if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) throw refuse('path-outside-folder', 'resolves outside the folder');
    return readCapped(fd, `the policy's ${what}`, path, cap, false);
  } finally {
    closeSync(fd);
  }
}
