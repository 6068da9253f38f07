// plan.replay's work: a stored demand's arrivals through the replay of a plan. A week's replay takes
// a minute of CPU, so it runs as a worker task on its own read-only connection, leaving the engine
// thread free for the UI's other calls; the same function serves the engine thread when the
// workspace is in memory (no other thread can open it).
import type { PlanFile } from '../../../shared/contract/planning';
import type { ReplayReportOut } from '../../../shared/contract/planning-report';
import { taskJobContext, type JobContext, type TaskContext } from '../jobs/context';
import { openReadOnly, type Db } from '../store/database';
import { requestBatches } from '../demand';
import { replayPlan } from '../replay/simulate';
import type { ReplayRequest } from '../replay/types';
import { serviceModelOf } from './workspace';

export interface ReplaySettings {
  demandId: number;
  scale?: number;
  /** Replay only the first hours (the plan's intervals bound it anyway). */
  hours?: number;
  seed: number;
}

/** Replays a validated plan (every deployment has `serving`) against a stored demand. */
export function replayWorkspacePlan(db: Db, plan: PlanFile, settings: ReplaySettings, ctx: JobContext): ReplayReportOut {
  const services = plan.deployments.map((d) => serviceModelOf(d.serving!));
  const horizonS = Math.min(plan.intervals.length * plan.intervalS, settings.hours != null ? settings.hours * 3600 : Infinity);
  function* requests(): Generator<ReplayRequest> {
    for (const b of requestBatches(db, settings.demandId, { scale: settings.scale, toS: horizonS })) for (let i = 0; i < b.t.length; i++) if (b.t[i] < horizonS) yield { t: b.t[i], inputTokens: b.inputTokens[i], outputTokens: b.outputTokens[i] };
  }
  const t0 = performance.now();
  const report = replayPlan(plan, services, requests(), { seed: settings.seed, ctx });
  const ms = performance.now() - t0;
  return { ...report, ms: Math.round(ms), requestsPerS: report.requests / Math.max(1e-9, ms / 1000) };
}

export interface ReplayTaskPayload extends ReplaySettings {
  workspacePath: string;
  plan: PlanFile;
}

/** Worker task 'plan.replay' (jobs/tasks.ts): cancelling the job terminates the thread mid-replay. */
export function replayTask(payload: ReplayTaskPayload, ctx: TaskContext): ReplayReportOut {
  const db = openReadOnly(payload.workspacePath);
  try {
    // One read transaction: the demand's row and all its minutes come from one snapshot, whatever
    // the engine thread commits meanwhile.
    return db.transaction(() => replayWorkspacePlan(db, payload.plan, payload, taskJobContext(ctx)))();
  } finally {
    db.close();
  }
}
