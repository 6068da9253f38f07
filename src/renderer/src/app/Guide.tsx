import { useEffect } from 'react';
import type { Screen } from './screens';
import { useJobs } from './jobs';
import { useWorkspace } from './workspace';
import { useSticky } from './sticky';
import { useCall } from './use-call';

interface Step {
  screen: Screen;
  title: string;
  hint: string;
  done: boolean;
}

/** The guided first run: import -> train -> evaluate -> plan -> export, each a link to its screen. */
export function Guide({ go, extraDone, reveal }: { go: (s: Screen) => void; extraDone: Partial<Record<Screen, boolean>>; reveal: number }) {
  const { info } = useWorkspace();
  const { jobs } = useJobs();
  const [hidden, setHidden] = useSticky('guide.hidden', localStorage.getItem('routeplan.guideHidden') === '1');
  // The menu's "Guided first run" and the top bar's Guide button bring it back.
  useEffect(() => {
    if (reveal > 0) {
      localStorage.removeItem('routeplan.guideHidden');
      setHidden(false);
    }
  }, [reveal, setHidden]);
  const ran = (method: string) => jobs.some((j) => j.method === method && j.state === 'done');
  // Done means the workspace holds the step's product, whoever made it (the app or the CLI).
  const predictors = useCall('predictor.list', {});
  const evaluations = useCall('evaluation.list', {});
  const policies = useCall('policy.list', {});
  const scenarios = useCall('scenarios.list', {});
  const steps: Step[] = [
    { screen: 'Data', title: 'Import data', hint: 'a labelled routing dataset (or use the demo)', done: (info?.datasets ?? 0) > 0 },
    { screen: 'Predictor', title: 'Train a predictor', hint: 'which model answers which query', done: !!extraDone.Predictor || ran('predictor.train') || (predictors.data?.length ?? 0) > 0 },
    { screen: 'Routing', title: 'Evaluate routing', hint: 'cost–accuracy frontier per strategy', done: !!extraDone.Routing || ran('evaluation.run') || (evaluations.data?.length ?? 0) > 0 },
    { screen: 'Capacity', title: 'Plan capacity', hint: 'instances per model on your GPUs', done: !!extraDone.Capacity || ran('whatif.optimise') || (scenarios.data?.length ?? 0) > 0 },
    { screen: 'Policies', title: 'Export a policy', hint: 'a config your gateway can load', done: !!extraDone.Policies || ran('policy.export') || (policies.data?.length ?? 0) > 0 },
  ];
  if (hidden) return null;
  const next = steps.find((s) => !s.done);
  return (
    <nav className="guide" aria-label="Guided first run">
      <ol>
        {steps.map((s, i) => (
          <li key={s.screen} className={s.done ? 'done' : s === next ? 'next' : undefined}>
            <button className="link" onClick={() => go(s.screen)} aria-current={s === next ? 'step' : undefined}>
              <span className="step-n" aria-hidden="true">{s.done ? '✓' : i + 1}</span>
              <span>
                <strong>{s.title}</strong>
                {s === next && <span className="small muted"> {s.hint}</span>}
              </span>
            </button>
          </li>
        ))}
      </ol>
      <button
        className="ghost small"
        onClick={() => {
          localStorage.setItem('routeplan.guideHidden', '1');
          setHidden(true);
        }}
        aria-label="Hide the guide"
      >
        Hide guide
      </button>
    </nav>
  );
}
