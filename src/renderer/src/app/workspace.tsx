import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { WorkspaceInfo } from '../../../shared/contract';
import { ApiError } from '../api/client';
import { useClient } from './context';
import { useJobs } from './jobs';
import { clearSticky } from './sticky';

const RECENT_KEY = 'routeplan.recentWorkspaces';
const MAX_RECENT = 8;

interface WorkspaceApi {
  info: WorkspaceInfo | null;
  error: ApiError | null;
  recent: string[];
  open(path: string, create: boolean): Promise<void>;
  refresh(): void;
}

const WorkspaceContext = createContext<WorkspaceApi | null>(null);

export function useWorkspace(): WorkspaceApi {
  const w = useContext(WorkspaceContext);
  if (!w) throw new Error('useWorkspace outside WorkspaceProvider');
  return w;
}

function readRecent(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

/** The open workspace, and the recently opened ones (kept by the renderer, per installation). */
export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [recent, setRecent] = useState<string[]>(readRecent);

  const remember = useCallback((path: string) => {
    if (path === ':memory:') return;
    setRecent((prev) => {
      const next = [path, ...prev.filter((p) => p !== path)].slice(0, MAX_RECENT);
      localStorage.setItem(RECENT_KEY, JSON.stringify(next));
      return next;
    });
  }, []);

  const refresh = useCallback(() => {
    client.call('workspace.info', {}).then(
      (i) => {
        setInfo(i);
        setError(null);
        remember(i.path);
      },
      (e: ApiError) => setError(e),
    );
  }, [client, remember]);

  const { revision } = useJobs();
  useEffect(refresh, [refresh, revision]);

  const open = useCallback(
    async (path: string, create: boolean) => {
      const i = await client.call('workspace.open', { path, create });
      clearSticky();
      setInfo(i);
      setError(null);
      remember(i.path);
    },
    [client, remember],
  );

  return <WorkspaceContext.Provider value={{ info, error, recent, open, refresh }}>{children}</WorkspaceContext.Provider>;
}
