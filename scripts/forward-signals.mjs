// `npm start` and `npm run serve` stand in for the server they start: a stop signal (Ctrl-C,
// SIGTERM from a supervisor, SIGHUP when the terminal closes) is passed on to it, and the script
// exits only once the server has, with its status, so no server is left listening with a live token.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let child = null;
let stopRequested = null;

/**
 * Installed first thing: a stop that arrives while the app is still being built ends the script.
 * npm passes on SIGINT and SIGTERM but not SIGHUP, and dies of a SIGHUP sent to it alone (or of a
 * SIGKILL); then this script has been re-parented, and it stops the server as if signalled.
 */
export function holdStopSignals() {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.emit('SIGTERM', 'SIGTERM');
  }, 250);
  watch.unref();
  for (const sig of stopSignals) {
    process.on(sig, () => {
      stopRequested ??= sig;
      if (child && child.exitCode === null && child.signalCode === null) child.kill(sig);
    });
  }
}

/** After a synchronous step: exits as a stopped process would if a stop came meanwhile. */
export function exitIfStopped() {
  if (stopRequested) process.exit(128 + (constants.signals[stopRequested] ?? 0));
}

/** Runs the long-lived process in the foreground and exits with its status. */
export function runInForeground(command, args, opts = {}) {
  exitIfStopped();
  child = spawn(command, args, { stdio: 'inherit', ...opts });
  child.on('error', (err) => {
    console.error(`cannot start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 0)));
}
