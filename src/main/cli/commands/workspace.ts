import type { RegisterCommand } from '../env';
import { table } from '../output';

export const registerWorkspaceCommands: RegisterCommand = (program, env) => {
  program
    .command('info')
    .description('describe the workspace: schema version, datasets, models, GPU types')
    .action(function (this: any) {
      return env.run(this, (engine) => engine.call('workspace.info', {}), (i) =>
        table([
          ['workspace', 'schema', 'datasets', 'models', 'gpu types'],
          [i.path, i.schemaVersion, i.datasets, i.models, i.gpuTypes],
        ]),
      );
    });
};
