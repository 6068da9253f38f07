import type { TaskContext } from './tasks';

/** A worker task used by the job tests: sums 1..n in steps, reporting progress, optionally slowly. */
export async function sumTask(payload: { n: number; stepMs?: number; fail?: boolean }, ctx: TaskContext): Promise<number> {
  let total = 0;
  for (let i = 1; i <= payload.n; i++) {
    total += i;
    if (payload.stepMs) await new Promise((r) => setTimeout(r, payload.stepMs));
    ctx.progress('summing', i / payload.n);
  }
  if (payload.fail) throw new Error('selftest failure requested');
  return total;
}

/** The worker thread's id: the tests tell a kept thread from a fresh one by it. */
export async function threadTask(): Promise<number> {
  return (await import('node:worker_threads')).threadId;
}
