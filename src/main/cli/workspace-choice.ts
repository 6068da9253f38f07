import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { EngineError } from '../../shared/errors';
import { defaultWorkspacePath } from '../engine/store/paths';

/** Where a command's workspace came from: the command line, $ROUTEPLAN_WORKSPACE, or the app's default. */
export interface WorkspaceChoice {
  path: string;
  source: 'option' | 'env' | 'default';
}

// Commands that only read: they never create a workspace file or its folder. A missing path is an
// error naming it, so a typo cannot leave an empty workspace (and a new directory) behind.
const readOnlyCommands = new Set(['info', 'datasets', 'policies', 'predictors', 'predict', 'list', 'compare']);

export function isReadOnly(cmd: Command, opts: Record<string, unknown>): boolean {
  if (cmd.name() === 'inventory') return opts.set === undefined;
  if (cmd.name() === 'datasets') return opts.delete === undefined;
  return readOnlyCommands.has(cmd.name());
}

/** ':memory:' and '' (SQLite's private temporary file) are no file a user could look for. */
const isFile = (path: string) => path !== '' && path !== ':memory:';

export function chooseWorkspace(optionValue: string | undefined, env: NodeJS.ProcessEnv = process.env): WorkspaceChoice {
  if (optionValue !== undefined) return { path: optionValue, source: 'option' };
  if (env.ROUTEPLAN_WORKSPACE !== undefined) return { path: env.ROUTEPLAN_WORKSPACE, source: 'env' };
  return { path: defaultWorkspacePath(env), source: 'default' };
}

/** Refuses a read-only command on a workspace that does not exist, before anything is opened. */
export function checkReadable(choice: WorkspaceChoice): void {
  if (!isFile(choice.path)) return;
  if (!existsSync(choice.path)) {
    throw new EngineError('NOT_FOUND', `no workspace at ${choice.path}${choice.source === 'option' ? '' : ` (${describeSource(choice)})`}; this command only reads, so it creates none: check the path, or create one with \`routeplan demo --workspace FILE\` or \`routeplan import FILES --workspace FILE\``, { path: choice.path, source: choice.source });
  }
  if (statSync(choice.path).isDirectory()) throw new EngineError('INVALID_INPUT', `${choice.path} is a directory, not a workspace file`, { path: choice.path });
}

function describeSource(choice: WorkspaceChoice): string {
  return choice.source === 'env' ? 'from $ROUTEPLAN_WORKSPACE' : 'the app-data default; pass --workspace FILE for another';
}

/** The stderr line of a command that was not told which workspace to use (nothing for a private one). */
export function workspaceNotice(choice: WorkspaceChoice): string | null {
  if (choice.source === 'option' || !isFile(choice.path)) return null;
  return `routeplan: workspace ${choice.path} (${describeSource(choice)})\n`;
}

/** The workspace a --json result names when the command line did not. */
export function workspaceField(choice: WorkspaceChoice): string | null {
  return choice.source === 'option' || !isFile(choice.path) ? null : choice.path;
}
