import { Command, type CommanderError } from 'commander';

// Usage errors (exit 2) in the same shapes as every other failure: `routeplan: USAGE: …` on stderr
// and, under --json, {"error": {code, message, details}} on stdout. Commander's own printing is
// silenced so that it cannot dump a whole help page instead.

/** "error: unknown option '--datset'\n(Did you mean --dataset?)" -> "unknown option --datset (did you mean --dataset?)" */
export function usageMessage(raw: string): string {
  const text = raw.replace(/^error: /, '').trim();
  const unknown = /^unknown (option|command) '([^']+)'\s*(?:\(Did you mean ([^?]+)\?\))?/.exec(text);
  if (unknown) return `unknown ${unknown[1]} ${unknown[2]}${unknown[3] ? ` (did you mean ${unknown[3]}?)` : ''}`;
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Installs the handling on the program; subcommands inherit it when they are created afterwards. */
export function usageErrors(program: Command, argv: string[] = process.argv): Command {
  const json = argv.includes('--json');
  return program
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true)
    .exitOverride(function (this: Command, err: CommanderError) {
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(0);
      const message = err.code === 'commander.help' ? 'a command is needed (listed above)' : usageMessage(err.message);
      const path = commandPath(this);
      if (json) process.stdout.write(JSON.stringify({ error: { code: 'INVALID_INPUT', message, details: { usage: true, reason: err.code, command: path } } }, null, 2) + '\n');
      process.stderr.write(`routeplan: USAGE: ${message}\n(\`${path} --help\` lists its options)\n`);
      process.exit(2);
    });
}

function commandPath(cmd: Command | undefined): string {
  const names: string[] = [];
  for (let c: Command | null | undefined = cmd; c; c = c.parent) names.unshift(c.name());
  return names.length ? names.join(' ') : 'routeplan';
}

/**
 * Commander checks required options before unknown ones, so a typo (`--datset`) was reported as
 * the option it meant being missing. Every command checks for an unknown option first.
 */
export function unknownOptionsFirst(root: Command): void {
  // Both methods are commander's own (public in its JavaScript, absent from its typings).
  type Checks = { args: string[]; missingMandatoryOptionValue(option: unknown): void; unknownOption(flag: string): void };
  const visit = (cmd: Command) => {
    const c = cmd as unknown as Checks;
    const missing = c.missingMandatoryOptionValue.bind(c);
    c.missingMandatoryOptionValue = (option) => {
      const unknown = c.args.find((a) => a.startsWith('-') && a !== '-' && a !== '--');
      if (unknown) c.unknownOption(unknown.split('=')[0]);
      missing(option);
    };
    cmd.commands.forEach(visit);
  };
  visit(root);
}
