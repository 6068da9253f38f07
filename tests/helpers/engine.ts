import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import type { WorkerEntry } from '../../src/main/engine/jobs/worker-pool';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Tests run the TypeScript worker entry through tsx; the built app uses out/main/worker.js. */
export const testWorkerEntry: WorkerEntry = {
  url: pathToFileURL(join(root, 'src/main/engine/jobs/worker.ts')),
  execArgv: ['--import', 'tsx'],
};

export const repoRoot = root;
export const routerbenchDir = resolve(root, '../shared/data/routerbench');

export function memoryEngine(): Engine {
  return createEngine({ workspacePath: ':memory:', worker: testWorkerEntry });
}

/** A scratch directory removed by the returned cleanup. */
export function scratchDir(prefix = 'routeplan-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function fileEngine(path: string): Engine {
  return createEngine({ workspacePath: path, worker: testWorkerEntry });
}
