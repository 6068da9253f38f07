import { resolve } from 'node:path';
import type { WorkspaceInfo } from '../../../shared/contract';
import { schemaVersion } from '../store/database';
import { readSettings, writeSetting } from '../store/settings';
import { interruptedJobs } from '../store/jobs';
import type { EngineServices } from '../services';
import type { HandlerGroup } from '../engine';

export function workspaceHandlers(s: EngineServices, host: { reopen(path: string, create: boolean): void }): HandlerGroup<'workspace.info' | 'workspace.open' | 'settings.get' | 'settings.set' | 'jobs.interrupted'> {
  const info = (): WorkspaceInfo => {
    const db = s.db();
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const demo = db.prepare("SELECT value FROM meta WHERE key = 'demo'").get() as { value: string } | undefined;
    return {
      path: s.workspacePath(),
      schemaVersion: schemaVersion(db),
      datasets: count('SELECT COUNT(*) AS n FROM datasets'),
      models: count('SELECT COUNT(*) AS n FROM models'),
      gpuTypes: count('SELECT COUNT(*) AS n FROM gpu_inventory'),
      isDemo: demo?.value === '1',
    };
  };
  return {
    'workspace.info': () => info(),
    'settings.get': () => readSettings(s.db()),
    'settings.set': (input) => {
      writeSetting(s.db(), input.key, input.value ?? null);
      return { saved: true };
    },
    'jobs.interrupted': (input) => interruptedJobs(s.db(), input.limit),
    'workspace.open': (input) => {
      host.reopen(input.path === ':memory:' ? input.path : resolve(input.path), input.create ?? true);
      return info();
    },
  };
}
