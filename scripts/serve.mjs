// `npm run serve`: build, then serve the app-data workspace in browser mode (arguments after `--`
// go to `routeplan serve`), standing in for the server as scripts/forward-signals.mjs says.
import { spawnSync } from 'node:child_process';
import { exitIfStopped, holdStopSignals, runInForeground } from './forward-signals.mjs';

holdStopSignals();
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
if (process.env.ROUTEPLAN_SKIP_BUILD !== '1' && spawnSync(npx, ['electron-vite', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);
exitIfStopped();
runInForeground(process.execPath, ['bin/routeplan.js', 'serve', ...process.argv.slice(2)]);
