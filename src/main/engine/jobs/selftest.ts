import type { TaskContext } from './tasks';
import { EngineError } from '../../../shared/errors';

/**
 * A worker task used by the job tests: sums 1..n in steps, reporting progress, optionally slowly;
 * `fail` ends it with an error a task means to raise, `crash` with an unexpected one.
 */
export async function sumTask(payload: { n: number; stepMs?: number; fail?: boolean; crash?: boolean }, ctx: TaskContext): Promise<number> {
  let total = 0;
  for (let i = 1; i <= payload.n; i++) {
    total += i;
    if (payload.stepMs) await new Promise((r) => setTimeout(r, payload.stepMs));
    ctx.progress('summing', i / payload.n);
  }
  if (payload.fail) throw new EngineError('INVALID_INPUT', 'selftest failure requested');
  if (payload.crash) throw new Error('selftest crash requested');
  return total;
}

/** The worker thread's id: the tests tell a kept thread from a fresh one by it. */
export async function threadTask(): Promise<number> {
  return (await import('node:worker_threads')).threadId;
}
