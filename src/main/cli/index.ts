import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { commandGroups } from './commands';
import { cliEnv } from './env';
import { watchWrapper } from './stop-signals';
import { watchStandardOutput } from './stdout-errors';
import { unknownOptionsFirst, usageErrors } from './usage';

watchWrapper();
watchStandardOutput();

// The built CLI sits beside worker.js in out/main; long jobs start their threads from there.
const env = cliEnv(new URL('./worker.js', import.meta.url));

const program = usageErrors(new Command().name('routeplan'))
  .description('Plan LLM routing and GPU capacity: import labelled data, train, route, allocate, export policies.')
  .option('-w, --workspace <file>', 'workspace file (default: the app-data workspace, or $ROUTEPLAN_WORKSPACE)')
  .version(packageVersion(), '-V, --version', 'print the version')
  .option('--json', 'print machine-readable JSON on stdout');

for (const register of commandGroups) register(program, env);
unknownOptionsFirst(program);

/** The version in package.json (the built CLI is out/main/cli.js; package.json is two up). */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

await program.parseAsync(process.argv);
