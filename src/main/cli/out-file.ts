import { realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EngineError } from '../../shared/errors';
import { environmentError, kindOf } from '../engine/policy/export-folder';

/**
 * Writes an --out file whole or not at all: next to the target, then renamed over it. A target that
 * exists and is not a regular file (a device such as /dev/full, a folder, a pipe) is refused by
 * name and left untouched: renaming over it would replace the device with a file. A symbolic link
 * to a regular file keeps its link; the file it points to is replaced.
 */
export function writeOutFile(file: string, text: string, option = '--out'): void {
  let s: Stats | null = null;
  try {
    s = statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw environmentError(err, file);
  }
  if (s && !s.isFile()) throw new EngineError('INVALID_INPUT', `${option} ${file}: it exists and is ${kindOf(s)}, not a regular file; nothing was written (give a file path)`, { path: file, reason: 'not-a-file' });
  const target = s ? realpathSync(file) : file;
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw environmentError(err, file);
  }
}
