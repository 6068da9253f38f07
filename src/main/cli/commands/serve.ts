import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appDataDir, defaultWorkspacePath } from '../../engine/store/paths';
import { lastSession, saveSession, sessionsFile } from '../../server/serve-session';
import { printFailure } from '../output';
import type { RegisterCommand } from '../env';

export const registerServe: RegisterCommand = (program) => {
  program
    .command('serve')
    .description('open the planner in a browser: a loopback-only server with a random access token')
    .option('-p, --port <n>', 'port (default: the one this workspace was last served on, if free, with the same token, so open pages reconnect; else any free port)', (v) => Number.parseInt(v, 10))
    .option('--token <t>', 'use this access token instead of a random one (tests)')
    .option('--no-demo', 'do not fill a new, empty workspace with the built-in demo')
    .action(async function (this: any) {
      const opts = this.optsWithGlobals();
      try {
        const workspacePath = opts.workspace ?? defaultWorkspacePath();
        const fresh = !existsSync(workspacePath);
        const [{ createEngine }, { serve }] = await Promise.all([import('../../engine/engine'), import('../../server/server')]);
        const engine = createEngine({ workspacePath, worker: { url: new URL('./worker.js', import.meta.url) } });
        // Like the desktop app: a first start opens on the demo workspace rather than on nothing.
        if (fresh && opts.demo !== false) engine.start('demo.create', {});
        const staticDir = fileURLToPath(new URL('../renderer', import.meta.url));
        // Started again on the same workspace: the same address, so open pages reconnect by themselves.
        const remember = opts.port === undefined && opts.token === undefined;
        const sessions = sessionsFile(process.env.ROUTEPLAN_APP_DATA ?? appDataDir());
        const last = remember ? lastSession(sessions, workspacePath) : null;
        const server = last ? await serve({ engine, staticDir, port: last.port, token: last.token }).catch(() => serve({ engine, staticDir })) : await serve({ engine, staticDir, port: opts.port, token: opts.token });
        if (remember) {
          try {
            saveSession(sessions, workspacePath, { port: server.port, token: server.token });
          } catch {
            /* a read-only config folder: the next start gets a new address, as before */
          }
        }
        if (opts.json) process.stdout.write(JSON.stringify({ url: server.url, port: server.port }) + '\n');
        else process.stdout.write(`routeplan is serving ${engine.services.workspacePath()}\nopen ${server.url}\n(Ctrl-C to stop)\n`);
        const stop = async () => {
          await server.close();
          engine.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        process.exitCode = printFailure(err, opts.json);
      }
    });
};
