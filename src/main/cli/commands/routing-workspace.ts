import type { Command } from 'commander';

/** Commands that need no stored data run on an in-memory workspace unless one is named. */
export function memoryWorkspaceUnlessGiven(cmd: Command): void {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  if (root.getOptionValue('workspace') === undefined && !process.env.ROUTEPLAN_WORKSPACE) root.setOptionValue('workspace', ':memory:');
}
