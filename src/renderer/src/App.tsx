import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createClient } from './api/client';
import { ClientContext, useClient } from './app/context';
import { JobsProvider } from './app/jobs';
import { WorkspaceProvider, useWorkspace } from './app/workspace';
import { JobTray } from './app/JobTray';
import { WorkspaceBar } from './app/WorkspaceBar';
import { Guide } from './app/Guide';
import { ThemeContext, useTheme, type ThemeChoice } from './app/theme';
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
  const [connected, setConnected] = useState(true);
  useEffect(() => client.onConnection(setConnected), [client]);
  const heading = useRef<HTMLHeadingElement>(null);
  const { info } = useWorkspace();

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
        {!connected && (
          <p className="notice error banner" role="alert" data-testid="connection-lost">
            The connection to the routeplan server was lost. Start <code>routeplan serve</code> again and open the address it prints (each start has a new access token).
          </p>
        )}
        <Guide go={go} extraDone={{}} reveal={reveal} />
        {/* Keyed by workspace: switching workspaces remounts the screens with fresh state. */}
        <main id="main" data-screen={screen} key={info?.path ?? ''}>
          <h2 ref={heading} tabIndex={-1} className="screen-title">
            {screen}
          </h2>
          {screenViews[screen]()}
        </main>
      </div>
    </div>
    </ThemeContext.Provider>
  );
}
