// Preloaded with NODE_OPTIONS=--require: prints the process's peak resident memory (KiB) on stderr
// at exit, so a test can bound a command's memory without timing anything.
process.on('exit', () => require('node:fs').writeSync(2, `\nmax-rss-kib=${process.resourceUsage().maxRSS}\n`));
