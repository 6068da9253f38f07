import { useJobs, type TrackedJob } from './jobs';
import { ProgressBar } from '../components/States';
import { duration, percent, shortenPaths } from '../format/units';

/** Every running job with its progress and a cancel button, plus the ones that just ended. */
export function JobTray() {
  const { jobs, cancel, dismiss } = useJobs();
  const visible = jobs.filter((j) => !j.dismissed).slice(0, 6);
  const running = visible.filter((j) => j.state === 'running').length;
  return (
    <section className="tray" aria-label="Jobs" aria-live="polite" data-testid="job-tray">
      <h2 className="tray-title">
        Jobs {running > 0 && <span className="badge">{running} running</span>}
      </h2>
      {visible.length === 0 && <p className="muted small">No jobs yet. Long work (imports, training, evaluation) shows here.</p>}
      <ul>
        {visible.map((j) => (
          <li key={j.jobId} className={`tray-job ${j.state}`} data-state={j.state} data-method={j.method}>
            <div className="tray-line">
              <span className="tray-label">{j.label}</span>
              <span className="tray-state">{stateText(j)}</span>
            </div>
            {j.state === 'running' && (
              <>
                <ProgressBar fraction={j.progress?.fraction ?? 0} label={`${j.label} progress`} />
                <div className="tray-line small muted">
                  <span>{j.progress?.stage ?? 'starting'}</span>
                  <span>{j.progress?.etaMs != null ? `${duration(j.progress.etaMs)} left` : ''}</span>
                </div>
                <button className="small" onClick={() => void cancel(j.jobId)} aria-label={`Cancel ${j.label}`}>
                  Cancel
                </button>
              </>
            )}
            {j.state === 'failed' && j.error && <p className="small error-text">{shortenPaths(j.error.message)}</p>}
            {j.state !== 'running' && (
              <button className="ghost small" onClick={() => dismiss(j.jobId)} aria-label={`Dismiss ${j.label}`}>
                Dismiss
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function stateText(j: TrackedJob): string {
  if (j.state === 'running') return percent(j.progress?.fraction ?? 0, 0);
  if (j.state === 'done') return 'done';
  if (j.state === 'cancelled') return 'cancelled';
  return 'failed';
}
