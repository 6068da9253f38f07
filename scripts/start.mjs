// `npm start`: build, make sure Electron's binary is present (Electron >= 42 fetches it on demand),
// then open the desktop app. Where the binary cannot be fetched (an offline build machine), say so
// and open the same app in browser mode instead, so that `npm start` always gives a planner.
import { spawnSync } from 'node:child_process';
import { exitIfStopped, holdStopSignals, runInForeground } from './forward-signals.mjs';

holdStopSignals();
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const run = (args, opts = {}) => spawnSync(npx, args, { stdio: 'inherit', ...opts });

// ROUTEPLAN_SKIP_BUILD=1: the caller has just built (tests that run beside other CLI tests must not
// rewrite out/ under them).
if (process.env.ROUTEPLAN_SKIP_BUILD !== '1' && run(['electron-vite', 'build']).status !== 0) process.exit(1);
exitIfStopped();

// ROUTEPLAN_BROWSER_MODE=1: the browser mode straight away, without trying Electron.
const browserOnly = process.env.ROUTEPLAN_BROWSER_MODE === '1';
const fetched = browserOnly ? null : run(['install-electron'], { stdio: ['ignore', 'ignore', 'pipe'] });
exitIfStopped();
if (fetched?.status === 0) {
  runInForeground(npx, ['electron-vite', 'preview', '--skipBuild']);
} else {
  if (!browserOnly) {
    console.warn(
      '\nElectron\'s binary could not be downloaded on this machine, so the desktop window cannot open.\n' +
        'Starting the same app in browser mode instead (loopback only, with an access token):\n',
    );
  }
  runInForeground(process.execPath, ['bin/routeplan.js', 'serve', ...process.argv.slice(2)]);
}
