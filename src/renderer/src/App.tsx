import { useEffect, useMemo, useState } from 'react';
import { createClient } from './api/client';
import type { WorkspaceInfo } from '../../shared/contract';

const screens = ['Data', 'Predictor', 'Routing', 'Capacity', 'Policies'] as const;

export function App() {
  const client = useMemo(() => createClient(), []);
  const [screen, setScreen] = useState<(typeof screens)[number]>('Data');
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  useEffect(() => {
    client.call('workspace.info', {}).then(setInfo, () => setInfo(null));
  }, [client]);
  return (
    <div className="app">
      <nav aria-label="Screens">
        <h1>routeplan</h1>
        {screens.map((s) => (
          <button key={s} aria-current={s === screen ? 'page' : undefined} onClick={() => setScreen(s)}>
            {s}
          </button>
        ))}
      </nav>
      <main>
        <h2>{screen}</h2>
        <p className="muted">{info ? `${info.path} · ${info.datasets} datasets · ${info.models} models` : 'connecting…'}</p>
      </main>
    </div>
  );
}
