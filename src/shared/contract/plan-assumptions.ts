/**
 * The figures a capacity plan rests on, per model and per deployment, with where each came from,
 * so that a planner can see (and question) them beside the plan.
 */
export interface PlanAssumptions {
  /** Where the expected quality of a query on a model comes from. */
  qualitySource: string;
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
    /** Concurrent sequences one instance serves. */
    slotsPerInstance: number;
    decodeTokensPerS: number;
    prefillTokensPerS: number | null;
    /** Queries per second one instance sustains at these token counts. */
    qpsPerInstance: number;
    /** 'catalog' (the model's row) or 'deployment option' (an extra row for another GPU type). */
    source: 'catalog' | 'deployment option';
  }[];
}
