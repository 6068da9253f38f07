import type { MonthlyCost } from './planning';

// What a replay reports (engine/replay/simulate.ts), as plan.replay returns it.

export interface ReplayInterval {
  arrivals: number;
  /** Served by self-hosted instances (by arrival interval). */
  served: number;
  api: number;
  overflowed: number;
  dropped: number;
  attainment: number;
  /** Mean number of requests waiting (not yet admitted) at the instance an arrival joined. */
  meanQueue: number;
  /** Per deployment: mean instances in service, busy share of their time, completions / (instance-seconds x goodput). */
  activeInstances: number[];
  busyFraction: number[];
  utilisation: number[];
}

export interface ReplayReport {
  requests: number;
  served: number;
  api: number;
  overflowed: number;
  dropped: number;
  /** Requests restarted on another instance after a spot interruption (each still counted once above). */
  restarted: number;
  sloAttainment: number;
  ttftP90Ms: number | null;
  tpotP90Ms: number | null;
  monthlyCost: number;
  money: MonthlyCost;
  promised: { sloAttainment: number; monthlyCost: number };
  intervals: ReplayInterval[];
  /** Instance events processed (iterations or runs of decode steps). */
  events: number;
}

export interface ReplayReportOut extends ReplayReport {
  /** Wall time of the simulation, and requests simulated per wall second. */
  ms: number;
  requestsPerS: number;
}
