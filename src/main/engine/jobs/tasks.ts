// The work that runs inside worker threads, by name. Each domain adds its tasks here (one line
// each); a task is a plain function of a structured-clonable payload.
import type { TaskContext } from './context';

// TaskContext is defined in context.ts, so that a task need not import this registry (which
// imports the tasks); re-exported for the tasks that still import it from here.
export type { TaskContext };

export type Task = (payload: any, ctx: TaskContext) => Promise<unknown> | unknown;

export async function loadTask(name: string): Promise<Task> {
  const loader = taskLoaders[name];
  if (!loader) throw new Error(`unknown worker task "${name}"`);
  return loader();
}

// Lazy imports keep a worker's start-up to the modules its task needs.
const taskLoaders: Record<string, () => Promise<Task>> = {
  'selftest.sum': async () => (await import('./selftest')).sumTask,
  'selftest.thread': async () => (await import('./selftest')).threadTask,
  'features.encode': async () => (await import('../features/sentence-encoder')).encodeTask,
  'predictor.fitMember': async () => (await import('../predictor/member')).fitMemberTask,
  'routing.highs': async () => (await import('../routing/highs')).solveWithHighs,
  'allocation.highs': async () => (await import('../allocation/tasks')).highsTask,
  'allocation.decompose': async () => (await import('../allocation/tasks')).decomposeTask,
  'allocation.evaluate': async () => (await import('../allocation/tasks')).evaluateTask,
  'allocation.polish': async () => (await import('../allocation/tasks')).polishTask,
  'allocation.optionPerformance': async () => (await import('../allocation/tasks')).optionPerformanceTask,
  'allocation.gpuSweep': async () => (await import('../allocation/tasks')).gpuSweepTask,
  'allocation.sweep': async () => (await import('../allocation/sweep')).sweepTask,
  'evaluation.sweep': async () => (await import('../evaluation/sweep-task')).sweepTask,
  'policy.export': async () => (await import('../policy/export-task')).policyExportTask,
  'plan.replay': async () => (await import('../planning/replay-task')).replayTask,
  'data.parquetRows': async () => (await import('../data/parquet-records')).parquetRowsTask,
};
