// `npm run bench workers`: what keeping worker threads warm between tasks buys (jobs/worker-pool.ts).
// The same engine calls through the built worker (out/main/worker.js, as the app and CLI run it),
// once with a fresh thread per task (the baseline, measured in this run) and once with kept threads:
// a small extended allocation solved at the default gap and at gap 0, and a what-if optimise.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine } from '../src/main/engine/engine';
import { closeIdleWorkers, keepIdleWorkers } from '../src/main/engine/jobs/worker-pool';
import { syntheticExtended } from '../tests/main/engine/allocation/fixtures';

const root = join(import.meta.dirname, '..');
const built = join(root, 'out/main/worker.js');
const REPEATS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
  if (!existsSync(built)) throw new Error('bench workers needs the built worker: run `npm run build` first');
  const engine = createEngine({ workspacePath: ':memory:', worker: { url: pathToFileURL(built) } });
  const problems = [21, 22, 23].map((seed) => syntheticExtended(60, 4, 2, 6, seed, { api: 1, trafficQps: 6 }));
  // A benchmark of infeasible instances would time the feasibility screen only.
  for (const problem of problems) {
    const r = (await engine.call('allocation.solve', { problem, timeLimitMs: 20_000 })) as { status: string };
    if (r.status === 'infeasible') throw new Error('bench workers: an instance is infeasible');
  }
  const cases: [string, () => Promise<unknown>][] = [
    ['allocation.solve (default gap)', () => Promise.all(problems.map((problem) => engine.call('allocation.solve', { problem, timeLimitMs: 20_000 })))],
    ['allocation.solve (gap 0)', () => Promise.all(problems.map((problem) => engine.call('allocation.solve', { problem, timeLimitMs: 20_000, mipGap: 0 })))],
    [
      'whatif.prepare + optimise',
      async () => {
        for (const problem of problems) {
          const { contextId } = (await engine.call('whatif.prepare', { problem })) as { contextId: string };
          await engine.call('whatif.optimise', { contextId, timeLimitMs: 20_000 });
        }
      },
    ],
  ];
  const rows: string[][] = [['calls (3 problems of 60 queries, 4 models, 2 GPU types)', 'fresh thread per task ms', 'kept threads ms', 'ratio']];
  for (const [label, call] of cases) {
    const times: Record<'fresh' | 'kept', number[]> = { fresh: [], kept: [] };
    // Interleaved, so that load on a shared machine falls on both alike.
    for (let r = 0; r < REPEATS; r++)
      for (const mode of ['fresh', 'kept'] as const) {
        keepIdleWorkers(mode === 'fresh' ? 0 : 2);
        if (mode === 'kept') await call(); // the first kept call starts the threads it then keeps
        const t0 = performance.now();
        await call();
        times[mode].push(performance.now() - t0);
      }
    const fresh = median(times.fresh);
    const kept = median(times.kept);
    rows.push([label, fresh.toFixed(0), kept.toFixed(0), `${(fresh / kept).toFixed(2)}x`]);
  }
  keepIdleWorkers(2);
  closeIdleWorkers();
  engine.close();
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i])).join('  '));
  console.log(`median of ${REPEATS} interleaved repeats; the ratio is fresh / kept (above 1: kept threads are faster)`);
}
