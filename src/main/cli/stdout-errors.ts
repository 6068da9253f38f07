import { environmentReasons } from '../engine/policy/export-folder';

/**
 * A failing standard output ends the command the way Unix tools end, never with Node's
 * "Unhandled 'error' event" trace:
 * - EPIPE (the reader went away, as in `routeplan route … | head -1`): a quiet exit with the
 *   command's own code so far (0 when it had not failed). We choose a plain exit over dying by
 *   SIGPIPE (a shell's 141), so `set -o pipefail` scripts do not fail because `head` was satisfied.
 * - anything else (ENOSPC for `> /dev/full`, EIO): a named error on stderr and exit 1.
 * Exiting runs the process's 'exit' listeners, so temporary files (the route decision spool) go too.
 * Errors of stderr itself are dropped: there is nowhere left to report them.
 */
export function watchStandardOutput(out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): void {
  out.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    const code = e.code ?? 'unknown error';
    err.write(`routeplan: INVALID_INPUT: cannot write standard output: ${environmentReasons[code] ?? e.message} (${code})\n`);
    process.exit(1);
  });
  err.on('error', () => {});
}
