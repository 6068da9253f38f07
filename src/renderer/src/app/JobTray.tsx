import { useJobs, type TrackedJob } from './jobs';
import { ProgressBar } from '../components/States';
import { duration, percent, plural, shortenPaths } from '../format/units';

/**
 * Running jobs with their progress and a cancel button; jobs that need a look (failed, interrupted)
 * below them; finished ones folded away with a Clear button, so the tray stays short.
 */
export function JobTray() {
  const { jobs, cancel, dismiss, clearFinished } = useJobs();
  const visible = jobs.filter((j) => !j.dismissed);
  const running = visible.filter((j) => j.state === 'running');
  const live = running.filter((j) => !j.lost).length;
  const attention = visible.filter((j) => j.state === 'failed' || j.state === 'interrupted').slice(0, 5);
  const finished = visible.filter((j) => j.state === 'done' || j.state === 'cancelled');
  const item = (j: TrackedJob) => (
    <li key={j.jobId} className={`tray-job ${j.state}${j.lost ? ' lost' : ''}`} data-state={j.lost ? 'lost' : j.state} data-method={j.method}>
      <div className="tray-line">
        <span className="tray-label" title={j.label}>
          {j.label}
        </span>
        <span className="tray-state">{stateText(j)}</span>
      </div>
      {j.state === 'running' && !j.lost && (
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
      {j.lost && <p className="small error-text">The server cannot be reached: this job’s fate is unknown until it answers again.</p>}
      {j.state === 'interrupted' && <p className="small error-text">Its process stopped before it ended; nothing of it was stored. Start it again.</p>}
      {j.state === 'failed' && j.error && <p className="small error-text">{shortenPaths(j.error.message)}</p>}
      {j.state !== 'running' && (
        <button className="ghost small" onClick={() => dismiss(j.jobId)} aria-label={`Dismiss ${j.label}`}>
          Dismiss
        </button>
      )}
    </li>
  );
  return (
    <section className="tray" aria-label="Jobs" aria-live="polite" data-testid="job-tray">
      <h2 className="tray-title">
        Jobs {live > 0 && <span className="badge">{live} running</span>}
      </h2>
      {visible.length === 0 && <p className="muted small">No jobs yet. Long work (imports, training, evaluation) shows here.</p>}
      <ul>
        {running.map(item)}
        {attention.map(item)}
      </ul>
      {finished.length > 0 && (
        <details className="tray-finished" data-testid="tray-finished">
          <summary className="small">
            {plural(finished.length, 'finished job')}
          </summary>
          <ul>{finished.slice(0, 8).map(item)}</ul>
        </details>
      )}
      {finished.length + attention.length > 0 && (
        <button className="ghost small" onClick={clearFinished} data-testid="tray-clear">
          Clear finished
        </button>
      )}
    </section>
  );
}

function stateText(j: TrackedJob): string {
  if (j.lost) return 'connection lost';
  if (j.state === 'running') return percent(j.progress?.fraction ?? 0, 0);
  if (j.state === 'done') return 'done';
  if (j.state === 'cancelled') return 'cancelled';
  if (j.state === 'interrupted') return 'interrupted';
  return 'failed';
}
