import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { Engine } from '../engine/engine';
import { recordJobEnd, recordJobStart } from '../engine/store/jobs';
import type { JobContext } from '../engine/jobs/context';
import { toFailure } from '../../shared/errors';
import { printFailure, printResult, type CliOptions } from './output';
import { terminalContext } from './progress';
import { checkReadable, chooseWorkspace, isReadOnly, workspaceField, workspaceNotice } from './workspace-choice';

export interface CliEnv {
  /** Runs one command body against the workspace, printing its result or its failure. */
  run<T>(cmd: Command, body: (engine: Engine, ctx: JobContext, opts: CliOptions & Record<string, any>) => Promise<T>, human: (result: T) => string): Promise<void>;
}

export type RegisterCommand = (program: Command, env: CliEnv) => void;

// Commands that do long work or write: each run is one row of the workspace's jobs journal, so a
// process killed mid-way leaves a 'running' row that the next open marks 'interrupted'.
const journalled = new Set(['import', 'demo', 'train', 'export-policy', 'allocate', 'whatif', 'evaluate']);

/** The journal row of one command run; a refusal (bad input) removes it, leaving no trace. */
function journal(engine: Engine, cmd: Command): { end: (state: 'done' | 'cancelled' | 'refused' | 'failed', error?: unknown) => void } {
  if (!journalled.has(cmd.name())) return { end: () => {} };
  const db = engine.services.db();
  const id = randomUUID();
  recordJobStart(db, id, `cli.${cmd.name()}`, { args: process.argv.slice(2) }, new Date());
  return {
    end(state, error) {
      try {
        if (state === 'refused') db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
        else recordJobEnd(db, id, state, error === undefined ? null : JSON.stringify(toFailure(error)), new Date());
      } catch {
        /* the command's own outcome is what to report; a 'running' row is marked on the next open */
      }
    },
  };
}

export function cliEnv(workerUrl: URL): CliEnv {
  return {
    async run(cmd, body, human) {
      const opts = cmd.optsWithGlobals() as CliOptions & Record<string, any>;
      const { ctx, done } = terminalContext();
      let engine: Engine | undefined;
      let run: ReturnType<typeof journal> | undefined;
      const choice = chooseWorkspace(opts.workspace);
      // Say which workspace a command touches when the command line did not name it.
      const notice = workspaceNotice(choice);
      if (notice) process.stderr.write(notice);
      try {
        if (isReadOnly(cmd, opts)) checkReadable(choice);
        // loaded here, not at start: `routeplan --help` and `--version` never pay for the engine
        const { createEngine } = await import('../engine/engine');
        engine = createEngine({ workspacePath: choice.path, worker: { url: workerUrl } });
        run = journal(engine, cmd);
        const result = await body(engine, ctx, opts);
        // A stop signal that came while the last (synchronous) commit ran is still queued: let it
        // in. It is read in the loop's poll phase, which lies between two check phases.
        for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r));
        done();
        run.end('done');
        // The work had committed before the stop could be seen: it stands, and the exit status says so.
        if (ctx.signal.aborted) process.stderr.write('routeplan: the stop request arrived after the work was committed; it stands\n');
        printResult(withWorkspace(result, workspaceField(choice)), opts.json, human);
      } catch (err) {
        done();
        const code = toFailure(err).code;
        run?.end(code === 'CANCELLED' || ctx.signal.aborted ? 'cancelled' : code === 'INTERNAL' ? 'failed' : 'refused', err);
        process.exitCode = printFailure(err, opts.json, workspaceField(choice));
      } finally {
        engine?.close();
      }
    },
  };
}

/** A JSON object result names the workspace it came from (a list stays a list: stderr says it). */
function withWorkspace<T>(result: T, workspace: string | null): T {
  if (workspace === null || result === null || typeof result !== 'object' || Array.isArray(result)) return result;
  return { ...result, workspace } as T;
}
