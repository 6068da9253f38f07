import cliProgress from 'cli-progress';
import type { JobContext } from '../engine/jobs/context';
import { onStopSignals } from './stop-signals';

/**
 * A job context whose progress draws a bar on stderr (only when stderr is a terminal, so pipes and
 * --json output stay clean), and whose signal trips on Ctrl-C, SIGTERM or SIGHUP.
 */
export function terminalContext(): { ctx: JobContext; done: () => void } {
  const abort = new AbortController();
  const offSignals = onStopSignals((sig) => {
    process.stderr.write(`\n${sig}: cancelling… (${sig === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to quit at once)\n`);
    abort.abort();
  });
  const interactive = process.stderr.isTTY === true;
  const bar = interactive
    ? new cliProgress.SingleBar({ stream: process.stderr, format: ' {stage} [{bar}] {percentage}% | ETA {eta_formatted} {message}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : null;
  let started = false;
  let lastStage = '';
  const ctx: JobContext = {
    signal: abort.signal,
    check: () => {
      if (abort.signal.aborted) throw Object.assign(new Error('the job was cancelled'), { code: 'CANCELLED' });
    },
    progress(u) {
      const payload = { stage: u.stage, message: u.message ?? '' };
      if (bar) {
        if (!started) bar.start(1000, 0, payload);
        started = true;
        bar.update(Math.round(u.fraction * 1000), payload);
      } else if (u.stage !== lastStage && process.env.ROUTEPLAN_PROGRESS === '1') {
        process.stderr.write(`${u.stage}…\n`);
      }
      lastStage = u.stage;
    },
  };
  return {
    ctx,
    done: () => {
      if (bar && started) bar.stop();
      offSignals();
    },
  };
}
