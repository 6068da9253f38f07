import type { InputOf, PlanCreateResult, ReplayReportOut } from '../../../../shared/contract';

export type PlanInput = InputOf<'plan.create'>;
export type { PlanCreateResult, ReplayReportOut };
export type ReservedTerm = 'none' | '1y' | '3y';

/** The Plans screen's settings as the form holds them (null = the engine's default). */
export interface PlanForm {
  demandId: number | null;
  mode: 'static' | 'autoscale' | 'overflow';
  /** Static and overflow: the percentile of intervals the fleet is sized for (1 = peak). */
  percentile: number;
  nPlusOne: boolean;
  scaleUpDelayS: number;
  minReplicas: number;
  objective: 'quality' | 'cost';
  qualityFloor: number | null;
  budgetMonth: number | null;
  ttftP90Ms: number;
  tpotP90Ms: number;
  reservedTerm: ReservedTerm;
  maxSpotShare: number;
  intervalS: number;
  scale: number | null;
  /** Each interval sized for its busiest stretch of this many seconds (a trace's arrivals per second). */
  burstWindowS: number;
}

export const defaultPlanForm: PlanForm = {
  demandId: null,
  mode: 'static',
  percentile: 0.95,
  nPlusOne: false,
  scaleUpDelayS: 180,
  minReplicas: 1,
  objective: 'quality',
  qualityFloor: null,
  budgetMonth: null,
  ttftP90Ms: 2000,
  tpotP90Ms: 100,
  reservedTerm: '1y',
  maxSpotShare: 0,
  intervalS: 3600,
  scale: null,
  burstWindowS: 60,
};

/**
 * plan.create's input from the form; `term` overrides the reserved term (the reserved-vs-on-demand
 * what-if, which skips the cheapest comparison plan: `compareCheapest` false).
 */
export function planInput(f: PlanForm, term: ReservedTerm = f.reservedTerm, compareCheapest = true): PlanInput {
  const mode: PlanInput['mode'] =
    f.mode === 'static'
      ? { mode: 'static', percentile: f.percentile, nPlusOne: f.nPlusOne }
      : f.mode === 'autoscale'
        ? { mode: 'autoscale', minReplicas: f.minReplicas, scaleUpDelayS: f.scaleUpDelayS }
        : { mode: 'overflow', percentile: f.percentile };
  return {
    ...(f.demandId != null ? { demandId: f.demandId } : {}),
    ...(f.scale != null ? { scale: f.scale } : {}),
    intervalS: f.intervalS,
    mode,
    objective: f.objective,
    ...(f.objective === 'cost' && f.qualityFloor != null ? { qualityFloor: f.qualityFloor } : {}),
    ...(f.budgetMonth != null ? { budgetMonth: f.budgetMonth } : {}),
    slo: { ttftP90Ms: f.ttftP90Ms, tpotP90Ms: f.tpotP90Ms },
    tiers: { reservedTerm: term, maxSpotShare: f.maxSpotShare, spotReplacementS: 300 },
    // Forms saved before the burst window existed lack it.
    burstWindowS: f.burstWindowS ?? 60,
    compareCheapest,
  };
}
