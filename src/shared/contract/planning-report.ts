import type { MonthlyCost } from './planning';

/** What a replay reports (engine/replay/types.ts ReplayReport, as the contract carries it). */
export interface ReplayReportOut {
  requests: number;
  served: number;
  api: number;
  overflowed: number;
  dropped: number;
  restarted: number;
  sloAttainment: number;
  ttftP90Ms: number | null;
  tpotP90Ms: number | null;
  monthlyCost: number;
  money: MonthlyCost;
  promised: { sloAttainment: number; monthlyCost: number };
  intervals: { arrivals: number; served: number; api: number; overflowed: number; dropped: number; attainment: number; meanQueue: number; activeInstances: number[]; busyFraction: number[]; utilisation: number[] }[];
  events: number;
  /** Wall time of the simulation, and requests simulated per wall second. */
  ms: number;
  requestsPerS: number;
}
