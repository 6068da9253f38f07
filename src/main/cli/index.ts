import { Command } from 'commander';
import { commandGroups } from './commands';
import { cliEnv } from './env';
import { watchWrapper } from './stop-signals';

watchWrapper();

// The built CLI sits beside worker.js in out/main; long jobs start their threads from there.
const env = cliEnv(new URL('./worker.js', import.meta.url));

const program = new Command()
  .name('routeplan')
  .description('Plan LLM routing and GPU capacity: import labelled data, train, route, allocate, export policies.')
  .option('-w, --workspace <file>', 'workspace file (default: the app-data workspace, or $ROUTEPLAN_WORKSPACE)')
  .option('--json', 'print machine-readable JSON on stdout')
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

for (const register of commandGroups) register(program, env);

await program.parseAsync(process.argv);
