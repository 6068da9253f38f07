// `npm run test:slowest [REPORT]`: the ten slowest test files of a vitest JSON report (default
// .tmp/vitest.json, which `bash .ci/run` writes; or `npx vitest run --reporter=json
// --outputFile.json=.tmp/vitest.json`), each with the reason its top comment gives for its cost
// (a line starting `Slow:`). A file in the ten without one is listed as unjustified and the
// script exits 1, so a new heavy test has to say why it is heavy.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const report = resolve(process.argv[2] ?? '.tmp/vitest.json');
let results;
try {
  results = JSON.parse(readFileSync(report, 'utf8')).testResults;
} catch (err) {
  console.error(`cannot read the vitest JSON report ${report}: ${err.message}`);
  process.exit(1);
}
const files = results
  .map((r) => ({ file: relative(process.cwd(), r.name), seconds: (r.endTime - r.startTime) / 1000, tests: r.assertionResults.length }))
  .sort((a, b) => b.seconds - a.seconds)
  .slice(0, 10);
const total = results.reduce((s, r) => s + (r.endTime - r.startTime) / 1000, 0);

/** The `Slow: …` sentence in the file's leading comments (the first 40 lines). */
function justification(file) {
  try {
    const head = readFileSync(file, 'utf8').split('\n').slice(0, 40).join('\n');
    const m = /Slow:\s*([\s\S]*?)(?:\n\s*(?:\/\/|\*)?\s*\n|\*\/|\n(?!\s*(?:\/\/|\*)))/.exec(head);
    return m ? m[1].replace(/\n\s*(?:\/\/|\*)\s*/g, ' ').trim() : null;
  } catch {
    return null;
  }
}

console.log(`ten slowest of ${results.length} test files (${total.toFixed(0)} s of file time in all; files run two at a time):`);
let unjustified = 0;
for (const f of files) {
  const why = justification(f.file);
  if (!why) unjustified++;
  console.log(`${f.seconds.toFixed(1).padStart(8)} s  ${f.file} (${f.tests} tests)\n             ${why ?? 'UNJUSTIFIED: add a `Slow:` line to its top comment'}`);
}
process.exit(unjustified ? 1 : 0);
