/**
 * The figures a capacity plan rests on, per model and per deployment, with where each came from,
 * so that a planner can see (and question) them beside the plan.
 */
export interface PlanAssumptions {
  /** Where the expected quality of a query on a model comes from. */
  qualitySource: string;
  /** The latency SLO capacities are goodput at (null: typed profiles only). */
  slo: { ttftP90Ms: number; tpotP90Ms: number } | null;
  /** Mean prompt tokens per query (one figure for every model: the same prompt goes to each). */
  inputTokensPerQuery: number;
  models: {
    model: string;
    outputTokensPerQuery: number;
    /** 'dataset' (the labels' output token counts) or 'default' (the plan's defaultOutputTokens). */
    outputTokensSource: 'dataset' | 'default';
    hosted: boolean;
    rateLimitQps: number | null;
  }[];
  deployments: {
    model: string;
    gpuType: string;
    gpusPerInstance: number;
    /** Concurrent sequences one instance serves (the KV-cache limit under the performance model). */
    slotsPerInstance: number | null;
    /** Typed profiles only: decode and prefill tok/s per slot (null where the performance model sizes the option). */
    decodeTokensPerS: number | null;
    prefillTokensPerS: number | null;
    /** Queries per second one instance sustains at these token counts (goodput at the SLO under the performance model). */
    qpsPerInstance: number;
    /** Where the capacity comes from: measured, fitted or estimated (performance model), or typed (three catalog figures). */
    capacitySource: 'measured' | 'fitted' | 'estimated' | 'typed';
    /** Performance model only: weights, KV cache and usable memory of one instance, GB. */
    memory: { weightsGb: number; kvCacheGb: number; usableGb: number } | null;
    /** 'catalog' (the model's row) or 'deployment option' (an extra row for another GPU type). */
    source: 'catalog' | 'deployment option';
  }[];
}
