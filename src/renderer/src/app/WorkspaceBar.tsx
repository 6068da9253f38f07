import { useEffect, useRef, useState } from 'react';
import { useClient } from './context';
import { useWorkspace } from './workspace';
import { ApiError } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { plural } from '../format/units';

/** The open workspace, recent ones, and open/create: native dialogs on the desktop, a path in the browser. */
export function WorkspaceBar({ dialogRequest }: { dialogRequest?: { create: boolean; n: number } }) {
  const client = useClient();
  const { info, error, recent, open } = useWorkspace();
  const [expanded, setExpanded] = useState(false);
  const [path, setPath] = useState('');
  const [failure, setFailure] = useState<ApiError | null>(null);
  const lastRequest = useRef(0);

  const attempt = async (p: string | null, create: boolean) => {
    if (!p) return;
    try {
      setFailure(null);
      await open(p, create);
      setExpanded(false);
    } catch (e) {
      setFailure(e as ApiError);
    }
  };
  const viaDialog = async (create: boolean) => attempt(await client.pickWorkspace(create), create);

  // The app menu's New/Open arrive here.
  useEffect(() => {
    if (!dialogRequest || dialogRequest.n === lastRequest.current) return;
    lastRequest.current = dialogRequest.n;
    if (client.mode === 'ipc') void viaDialog(dialogRequest.create);
    else setExpanded(true);
  });

  return (
    <div className="workspace-bar">
      <button className="ghost workspace-name" aria-expanded={expanded} aria-controls="workspace-panel" onClick={() => setExpanded((e) => !e)} title={info?.path}>
        <span className="muted small">Workspace</span>{' '}
        <span data-testid="workspace-path">{info ? shortPath(info.path) : error ? 'unavailable' : 'connecting…'}</span>
        {info?.isDemo && <span className="badge">demo</span>}
      </button>
      {info && (
        <span className="muted small workspace-counts" data-testid="workspace-counts">
          {plural(info.datasets, 'dataset')} · {plural(info.models, 'model')} · {plural(info.gpuTypes, 'GPU type')}
        </span>
      )}
      {expanded && (
        <div id="workspace-panel" className="workspace-panel panel" role="region" aria-label="Open or create a workspace">
          {client.mode === 'ipc' ? (
            <div className="row">
              <button onClick={() => void viaDialog(false)}>Open workspace…</button>
              <button onClick={() => void viaDialog(true)}>New workspace…</button>
            </div>
          ) : (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void attempt(path.trim(), false);
              }}
            >
              <label className="grow">
                <span className="small muted">Workspace file on the server machine</span>
                <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/plans/team.sqlite" />
              </label>
              <button type="submit" disabled={!path.trim()}>
                Open
              </button>
              <button type="button" disabled={!path.trim()} onClick={() => void attempt(path.trim(), true)}>
                Create
              </button>
            </form>
          )}
          {failure && <ErrorNotice error={failure} onDismiss={() => setFailure(null)} />}
          {recent.length > 0 && (
            <>
              <h4>Recent</h4>
              <ul className="recent">
                {recent.map((p) => (
                  <li key={p}>
                    <button className="link" onClick={() => void attempt(p, false)} aria-current={p === info?.path ? 'true' : undefined}>
                      {p}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}

function shortPath(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : p;
}
