import { createHash } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './engine';

// Acceptance tests on real data fit the same predictors (RouterBench train files, seeds 1-5): the
// single-head acceptance files both fit fitDefaultPredictor(train, {seed}) five times. Their test-set
// probabilities are cached on disk, keyed by the content of every source file under src/, the data
// files and the fit's settings, so a run does each fit once and a later run with the same code and
// data does none. Any edit under src/ changes the key: a cached figure is always the code's own.
// Concurrent test files wanting the same key wait for the one that computes it (a lock file holding
// its pid; a dead holder's lock is taken over), never for a fixed time.

const cacheDir = join(repoRoot, '.tmp', 'prediction-cache');
let sourceHash: string | undefined;

function hashTree(dir: string, h: ReturnType<typeof createHash>): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hashTree(path, h);
    else h.update(path.slice(repoRoot.length)).update('\0').update(readFileSync(path)).update('\0');
  }
}

/** sha256 over src/ and package-lock.json (library versions change results too). */
function codeHash(): string {
  if (!sourceHash) {
    const h = createHash('sha256');
    hashTree(join(repoRoot, 'src'), h);
    h.update(readFileSync(join(repoRoot, 'package-lock.json')));
    sourceHash = h.digest('hex');
  }
  return sourceHash;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' || ((err as NodeJS.ErrnoException).code === 'ENOENT' && process.platform !== 'linux');
  }
}

const pause = () => new Promise((r) => setTimeout(r, 500));

/**
 * The Float32Array `compute` returns for `settings` over `dataFiles`, from the cache when this code
 * and data produced it before.
 */
export async function cachedPrediction(settings: Record<string, unknown>, dataFiles: string[], compute: () => Promise<Float32Array>): Promise<Float32Array> {
  const h = createHash('sha256').update(codeHash()).update(JSON.stringify(settings));
  for (const f of dataFiles) h.update(readFileSync(f));
  const key = h.digest('hex').slice(0, 32);
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `${key}.f32`);
  const lock = join(cacheDir, `${key}.lock`);
  for (;;) {
    if (existsSync(file)) {
      const b = readFileSync(file);
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      // another test file computes it: wait for its result, or take over if it died
      const holder = Number(readFileSync(lock, 'utf8') || 0);
      if (holder && !alive(holder)) unlinkSync(lock);
      await pause();
      continue;
    }
    try {
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      const p = await compute();
      const tmp = `${file}.tmp-${process.pid}`;
      writeFileSync(tmp, Buffer.from(p.buffer, p.byteOffset, p.byteLength));
      renameSync(tmp, file);
      return p;
    } finally {
      unlinkSync(lock);
    }
  }
}
