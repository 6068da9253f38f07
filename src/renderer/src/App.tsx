import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createClient, type ConnectionLoss } from './api/client';
import { ClientContext, useClient } from './app/context';
import { JobsProvider } from './app/jobs';
import { WorkspaceProvider, useWorkspace } from './app/workspace';
import { JobTray } from './app/JobTray';
import { WorkspaceBar } from './app/WorkspaceBar';
import { Guide } from './app/Guide';
import { ThemeContext, useTheme, type ThemeChoice } from './app/theme';
import { loadRemembered } from './app/sticky';
import { Loading } from './components/States';
import { screenFromHash, screens, type Screen } from './app/screens';
import { DataScreen } from './features/data/DataScreen';
import { PredictorScreen } from './features/predictor/PredictorScreen';
import { RoutingScreen } from './features/routing/RoutingScreen';
import { CapacityScreen } from './features/capacity/CapacityScreen';
import { PoliciesScreen } from './features/policies/PoliciesScreen';
import { PlansScreen } from './features/plans/PlansScreen';

const screenViews: Record<Screen, () => ReactNode> = {
  Data: () => <DataScreen />,
  Predictor: () => <PredictorScreen />,
  Routing: () => <RoutingScreen />,
  Capacity: () => <CapacityScreen />,
  Plans: () => <PlansScreen />,
  Policies: () => <PoliciesScreen />,
};

export function App() {
  const client = useMemo(() => createClient(), []);
  return (
    <ClientContext.Provider value={client}>
      <JobsProvider>
        <WorkspaceProvider>
          <Frame />
        </WorkspaceProvider>
      </JobsProvider>
    </ClientContext.Provider>
  );
}

function Frame() {
  const client = useClient();
  const [screen, setScreen] = useState<Screen>(() => screenFromHash(window.location.hash));
  const [theme, setTheme, effectiveTheme] = useTheme();
  const [dialog, setDialog] = useState<{ create: boolean; n: number }>();
  const [reveal, setReveal] = useState(0);
  const [lost, setLost] = useState<ConnectionLoss | null>(null);
  useEffect(() => client.onConnection((c, reason) => setLost(c ? null : (reason ?? 'unreachable'))), [client]);
  const heading = useRef<HTMLHeadingElement>(null);
  const { info } = useWorkspace();
  // The forms start from what this workspace remembers: load it before the screens mount.
  const [rememberedFor, setRememberedFor] = useState<string | null>(null);
  useEffect(() => {
    if (!info) return;
    let live = true;
    const write = (key: string, value: unknown) => void client.call('settings.set', { key, value }).catch(() => undefined);
    client.call('settings.get', {}).then(
      (values) => live && (loadRemembered(values, write), setRememberedFor(info.path)),
      () => live && (loadRemembered({}, write), setRememberedFor(info.path)),
    );
    return () => {
      live = false;
    };
  }, [client, info?.path]);

  const [navigations, setNavigations] = useState(0);
  const go = useCallback((s: Screen) => {
    setScreen(s);
    setNavigations((n) => n + 1);
    history.replaceState(null, '', `#/${s.toLowerCase()}`);
  }, []);

  // Focus follows navigation, so keyboard and screen-reader users land on the screen's title.
  useEffect(() => {
    if (navigations > 0) heading.current?.focus();
  }, [navigations]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && /^[1-6]$/.test(e.key)) {
        e.preventDefault();
        go(screens[Number(e.key) - 1]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  useEffect(
    () =>
      client.onMenu((command) => {
        if (command === 'open-workspace' || command === 'new-workspace') setDialog((d) => ({ create: command === 'new-workspace', n: (d?.n ?? 0) + 1 }));
        else if (command === 'import-data') go('Data');
        else if (command === 'show-guide') setReveal((n) => n + 1);
      }),
    [client, go],
  );

  return (
    <ThemeContext.Provider value={effectiveTheme}>
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), heading.current?.focus())}>
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="logo" aria-hidden="true">◆</span> routeplan
        </div>
        <nav aria-label="Screens" className="nav">
          {screens.map((s, i) => (
            <button key={s} aria-current={s === screen ? 'page' : undefined} onClick={() => go(s)} title={`Alt+${i + 1}`}>
              {s}
            </button>
          ))}
        </nav>
        <JobTray />
        <label className="theme">
          <span className="small muted">Theme</span>
          <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)} aria-label="Theme">
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </aside>
      <div className="content">
        <header className="topbar">
          <WorkspaceBar dialogRequest={dialog} />
          <button className="ghost small" onClick={() => setReveal((n) => n + 1)}>
            Guide
          </button>
        </header>
        {lost && (
          <p className="notice error banner" role="alert" data-testid="connection-lost" data-reason={lost}>
            {lost === 'unreachable' ? (
              <>
                The connection to the routeplan server was lost; running jobs are marked “connection lost”. Start <code>routeplan serve</code> again on the same workspace: this page reconnects by
                itself when the server comes back on the same address, otherwise open the address it prints.
              </>
            ) : (
              <>The routeplan server was started again with a new access token: open the address it printed. Nothing is lost: finished work is in the workspace, and interrupted jobs are listed in the Jobs tray.</>
            )}
          </p>
        )}
        <Guide go={go} extraDone={{}} reveal={reveal} />
        {/* Keyed by workspace: switching workspaces remounts the screens with fresh state. */}
        <main id="main" data-screen={screen} key={info?.path ?? ''}>
          <h2 ref={heading} tabIndex={-1} className="screen-title">
            {screen}
          </h2>
          {rememberedFor === info?.path ? screenViews[screen]() : <Loading what="the workspace" />}
        </main>
      </div>
    </div>
    </ThemeContext.Provider>
  );
}
