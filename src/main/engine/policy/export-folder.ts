import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EngineError } from '../../../shared/errors';
import { ownProcessTag, processTagGone } from '../jobs/process-identity';

/**
 * An export folder written as a whole or not at all. The files are staged in a sibling folder
 * (`.<name>.routeplan-staging-<pid>-<start>`, same file system, so the final step is a rename);
 * `commit` (the database transaction) runs only when every file is on disk; then the staged folder
 * replaces the target. A reader of the target sees the old export or the new one, never a mix.
 * The staging folder is removed on every exit path; one left by a killed process (its pid gone,
 * or reused by another process) is swept the next time anything exports beside it.
 */
export function writeExportFolder<T>(outDir: string, files: [name: string, data: string | Uint8Array][], commit: () => T, opts: { check?: () => void; replaceable?: string[] } = {}): T {
  try {
    stageExportFolder(outDir, files, opts);
    return commitExportFolder(outDir, files.map(([f]) => f), commit, opts);
  } finally {
    discardStagedExport(outDir);
  }
}

/** Where this process stages an export of `outDir` (one export per folder at a time). */
export function stagingFolderOf(outDir: string): string {
  return join(dirname(outDir), `.${basename(outDir)}.routeplan-staging-${ownProcessTag()}`);
}

/**
 * The first half of writeExportFolder, which may run in a worker thread of this process: the
 * files written into the staging folder. The caller then commits (commitExportFolder) or
 * discards (discardStagedExport); a thread terminated mid-write leaves only the staging folder,
 * which the discard removes.
 */
export function stageExportFolder(outDir: string, files: [name: string, data: string | Uint8Array][], opts: { replaceable?: string[] } = {}): string {
  const parent = dirname(outDir);
  // Renaming over a device, a file or a pipe would replace it: refused by name, left untouched.
  const existing = statOrNull(outDir);
  if (existing && !existing.isDirectory()) throw new EngineError('INVALID_INPUT', `${outDir} exists and is ${kindOf(existing)}, not a folder; nothing was written (give a new or empty folder)`, { path: outDir, reason: 'not-a-folder' });
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw environmentError(err, parent);
  }
  sweepStaging(parent, basename(outDir));
  refuseForeignFiles(outDir, files.map(([f]) => f), opts.replaceable);
  const staging = stagingFolderOf(outDir);
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging);
    for (const [file, data] of files) writeFileSync(join(staging, file), data);
  } catch (err) {
    throw environmentError(err, staging);
  }
  return staging;
}

/**
 * The second half: `commit` (the database transaction) once every staged file is on disk, then
 * the staged folder swapped in for the target. The caller discards the staging on every exit path.
 */
export function commitExportFolder<T>(outDir: string, staged: string[], commit: () => T, opts: { check?: () => void; replaceable?: string[] } = {}): T {
  // The folder may have gained files while the export was staged (in a worker thread).
  refuseForeignFiles(outDir, staged, opts.replaceable);
  opts.check?.();
  const result = commit();
  const old = join(dirname(outDir), `.${basename(outDir)}.routeplan-old-${ownProcessTag()}`);
  if (existsSync(outDir)) renameSync(outDir, old);
  renameSync(stagingFolderOf(outDir), outDir);
  rmSync(old, { recursive: true, force: true });
  return result;
}

/** Removes this process's staging folder of `outDir`, if any (after a commit, a failure or a cancel). */
export function discardStagedExport(outDir: string): void {
  rmSync(stagingFolderOf(outDir), { recursive: true, force: true });
}

// The old folder is replaced whole: never delete files this export did not write (or an earlier
// export may have written, e.g. gateway configs this one leaves out).
function refuseForeignFiles(outDir: string, files: string[], replaceable: string[] = []): void {
  if (!existsSync(outDir)) return;
  const known = new Set([...files, ...replaceable]);
  const foreign = readdirSync(outDir).filter((f) => !known.has(f));
  if (foreign.length) throw new EngineError('CONFLICT', `${outDir} holds files that are not part of a policy export (${foreign.slice(0, 5).join(', ')}); choose an empty or new folder`, { path: outDir, files: foreign });
}

const STAGING = /^\.(.+)\.routeplan-(staging|old)-(\d+-(?:\d+|x))$/;

/** Removes staging (and half-swapped old) folders of `name` in `parent` whose process is gone. */
export function sweepStaging(parent: string, name: string): number {
  let swept = 0;
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return 0;
  }
  for (const e of entries) {
    const m = STAGING.exec(e);
    if (!m || m[1] !== name || !processTagGone(m[3])) continue;
    // A process killed between the two renames left the previous export here and no target:
    // put it back rather than lose it.
    if (m[2] === 'old' && !existsSync(join(parent, name))) renameSync(join(parent, e), join(parent, name));
    else rmSync(join(parent, e), { recursive: true, force: true });
    swept++;
  }
  return swept;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw environmentError(err, path);
  }
}

/** What a path is, for a refusal that names it. */
export function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFile()) return 'a regular file';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isSocket()) return 'a socket';
  return 'a special file';
}

/** What a write's errno means to a person, for the errors the environment causes (not routeplan). */
export const environmentReasons: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'the path is a folder',
  EEXIST: 'the path already exists',
  EIO: 'the device reported an input/output error',
};

/** A file-system failure while writing an export, as a named error rather than INTERNAL. */
export function environmentError(err: unknown, path: string): EngineError {
  if (err instanceof EngineError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const why = environmentReasons[code];
  if (!why) throw err;
  return new EngineError('INVALID_INPUT', `cannot write ${path}: ${why} (${code}); nothing was written`, { path, errno: code, reason: 'environment' });
}
