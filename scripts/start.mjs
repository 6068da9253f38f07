// `npm start`: build, make sure Electron's binary is present (Electron >= 42 fetches it on demand),
// then open the desktop app. Where the binary cannot be fetched (an offline build machine), say so
// and open the same app in browser mode instead, so that `npm start` always gives a planner.
import { spawn, spawnSync } from 'node:child_process';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const run = (args, opts = {}) => spawnSync(npx, args, { stdio: 'inherit', ...opts });

if (run(['electron-vite', 'build']).status !== 0) process.exit(1);

const fetched = run(['install-electron'], { stdio: ['ignore', 'ignore', 'pipe'] });
if (fetched.status === 0) {
  const app = spawn(npx, ['electron-vite', 'preview', '--skipBuild'], { stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.warn(
    '\nElectron\'s binary could not be downloaded on this machine, so the desktop window cannot open.\n' +
      'Starting the same app in browser mode instead (loopback only, with an access token):\n',
  );
  const serve = spawn(process.execPath, ['bin/routeplan.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  serve.on('exit', (code) => process.exit(code ?? 0));
}
