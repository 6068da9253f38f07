export {};

// `npm run bench [name ...]`: runs the named benchmarks (all by default). Each prints its own
// table with ratios against a baseline measured in the same run; none asserts a timing.
const benches: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  // each domain adds one line: name: () => import('./<file>'),
  predictor: () => import('./predictor.ts'),
  router: () => import('./router'),
  import: () => import('./import.ts'),
  routing: () => import('./routing.ts'),
  allocation: () => import('./allocation.ts'),
  'cli-start': () => import('./cli-start.ts'),
  perf: () => import('./perf.ts'),
  'perf-measured': () => import('./perf-measured.ts'),
  demand: () => import('./demand.ts'),
  planning: () => import('./planning.ts'),
  workers: () => import('./workers.ts'),
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(benches);
for (const name of names) {
  const load = benches[name];
  if (!load) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${name} ===`);
  const t0 = performance.now();
  await (await load()).run();
  console.log(`(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
