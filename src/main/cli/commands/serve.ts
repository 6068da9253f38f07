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
    .option('-p, --port <n>', 'port (default: the one this workspace was last served on, if free, with the same token, so open pages reconnect; else any free port)')
    .option('--token <t>', 'use this access token (at least 16 printable characters) instead of a random one (tests)')
    .option('--no-demo', 'do not fill a new, empty workspace with the built-in demo')
    .action(async function (this: any) {
      const opts = this.optsWithGlobals();
      try {
        // Refused before a workspace is opened or created.
        const [{ tokenProblem }, { EngineError }] = await Promise.all([import('../../server/server'), import('../../../shared/errors')]);
        const problem = opts.token !== undefined ? tokenProblem(opts.token) : null;
        if (problem) throw new EngineError('INVALID_INPUT', problem, { field: '--token' });
        const port = opts.port === undefined ? undefined : /^\d{1,5}$/.test(opts.port) ? Number(opts.port) : Number.NaN;
        if (port !== undefined && !(port >= 0 && port <= 65535)) throw new EngineError('INVALID_INPUT', `--port must be an integer from 0 to 65535, got "${opts.port}"`, { field: '--port' });
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
        let server;
        try {
          server = last ? await serve({ engine, staticDir, port: last.port, token: last.token }).catch(() => serve({ engine, staticDir })) : await serve({ engine, staticDir, port, token: opts.token });
        } catch (err) {
          engine.close();
          throw err;
        }
        if (remember) {
          try {
            saveSession(sessions, workspacePath, { port: server.port, token: server.token });
          } catch {
            /* a read-only config folder: the next start gets a new address, as before */
          }
        }
        if (opts.json) process.stdout.write(JSON.stringify({ url: server.url, port: server.port, workspace: engine.services.workspacePath() }) + '\n');
        else process.stdout.write(`routeplan is serving ${engine.services.workspacePath()}\nopen ${server.url}\n(Ctrl-C to stop)\n`);
        // One stop however many signals arrive (a terminal's Ctrl-C and `npm start` forwarding it):
        // a repeat must not fall through to Node's default and kill the process mid-close.
        let stopping = false;
        const stop = async () => {
          if (stopping) return;
          stopping = true;
          await server.close();
          engine.close();
          process.exit(0);
        };
        for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, stop);
      } catch (err) {
        process.exitCode = printFailure(err, opts.json);
      }
    });
};
