import type { Command } from 'commander';
import { createEngine, type Engine } from '../engine/engine';
import { defaultWorkspacePath } from '../engine/store/paths';
import type { JobContext } from '../engine/jobs/context';
import { printFailure, printResult, type CliOptions } from './output';
import { terminalContext } from './progress';

export interface CliEnv {
  /** Runs one command body against the workspace, printing its result or its failure. */
  run<T>(cmd: Command, body: (engine: Engine, ctx: JobContext, opts: CliOptions & Record<string, any>) => Promise<T>, human: (result: T) => string): Promise<void>;
}

export type RegisterCommand = (program: Command, env: CliEnv) => void;

export function cliEnv(workerUrl: URL): CliEnv {
  return {
    async run(cmd, body, human) {
      const opts = cmd.optsWithGlobals() as CliOptions & Record<string, any>;
      const { ctx, done } = terminalContext();
      let engine: Engine | undefined;
      try {
        engine = createEngine({ workspacePath: opts.workspace ?? defaultWorkspacePath(), worker: { url: workerUrl } });
        const result = await body(engine, ctx, opts);
        done();
        printResult(result, opts.json, human);
      } catch (err) {
        done();
        process.exitCode = printFailure(err, opts.json);
      } finally {
        engine?.close();
      }
    },
  };
}
