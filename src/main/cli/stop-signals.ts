import { constants } from 'node:os';

export const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof stopSignals)[number];

// A Ctrl-C under the Node-20 wrapper reaches this process twice: from the terminal (same process
// group) and forwarded by the wrapper. Repeats this close to the first count as the same request.
const SAME_REQUEST_MS = 1000;

/**
 * Turns SIGINT, SIGTERM and SIGHUP into one cancel request for the running command: the first
 * calls `onStop` (the command then cancels at its next check and exits 4, writing nothing); a
 * second, later one exits at once with 128 + signal, as a shell would report it.
 */
export function onStopSignals(onStop: (sig: StopSignal) => void): () => void {
  let first = 0;
  const handler = (sig: StopSignal) => {
    const now = Date.now();
    if (first === 0) {
      first = now;
      onStop(sig);
    } else if (now - first > SAME_REQUEST_MS) {
      process.exit(128 + (constants.signals[sig] ?? 0));
    }
  };
  for (const s of stopSignals) process.on(s, handler);
  return () => {
    for (const s of stopSignals) process.off(s, handler);
  };
}

/**
 * Under the wrapper (bin/routeplan.js under an older Node), a wrapper that was killed outright
 * (SIGKILL, an OOM kill) cannot pass a stop on. Its pid is in the environment; once this process
 * has been re-parented, it stops itself with SIGTERM, which the running command treats as a cancel
 * and an idle process (no handler) as a plain exit. The timer is unref'd: it never keeps us alive.
 */
export function watchWrapper(env: NodeJS.ProcessEnv = process.env, everyMs = 250): void {
  const wrapper = Number(env.ROUTEPLAN_WRAPPER_PID);
  if (!Number.isInteger(wrapper) || wrapper <= 0 || process.ppid !== wrapper) return;
  const timer = setInterval(() => {
    if (process.ppid !== wrapper) {
      clearInterval(timer);
      process.stderr.write('routeplan: the wrapper process is gone; stopping\n');
      process.kill(process.pid, 'SIGTERM');
    }
  }, everyMs);
  timer.unref();
}
