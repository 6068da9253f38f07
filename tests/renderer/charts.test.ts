import { describe, expect, it } from 'vitest';
import type { FrontierRow } from '../../src/shared/contract/routing';
import { budgetsOf, frontierTraces, modelName, strategiesOf } from '../../src/renderer/src/features/routing/frontier';
import { reliabilityTraces } from '../../src/renderer/src/features/predictor/reliability';
import { gpusUsed, maxInstances, type WhatIfContextInfo } from '../../src/renderer/src/features/capacity/types';

const row = (strategy: string, kind: FrontierRow['kind'], budgetFraction: number | null, costFraction: number, accuracy: number): FrontierRow => ({ strategy, kind, budgetFraction, costFraction, accuracy, accuracyStd: 0.01, accuracyVsBest: accuracy / 0.9, costFractionStd: 0, withinBudgetShare: budgetFraction == null ? null : 1, withinBudgetStd: null, seeds: 3 });

const rows: FrontierRow[] = [
  row('ndch', 'strategy', 0.3, 0.29, 0.85),
  row('ndch', 'strategy', 0.1, 0.1, 0.8),
  row('threshold', 'strategy', 0.1, 0.08, 0.78),
  row('threshold', 'strategy', 0.3, 0.3, 0.83),
  row('single:openai/gpt-4', 'single', null, 1, 0.9),
  row('single:mistral-7b', 'single', null, 0.02, 0.5),
  row('single:claude-v1', 'single', null, 0.6, 0.7),
  row('single:yi-34b', 'single', null, 0.1, 0.75),
  row('oracle', 'oracle', null, 0.05, 0.98),
];
const x = (t: unknown) => (t as { x: number[] }).x;

describe('chart data', () => {
  it('draws one line per strategy in cost order, and rings only the chosen budget', () => {
    expect(strategiesOf(rows)).toEqual(['ndch', 'threshold']);
    expect(budgetsOf(rows)).toEqual([0.1, 0.3]);
    const traces = frontierTraces(rows, 0.3, new Set(['ndch', 'threshold', 'single models', 'oracle']));
    // Traces carry the display names every screen uses (format/glossary.ts).
    const ndch = traces.find((t) => t.name === 'NDCH')!;
    expect(x(ndch)).toEqual([0.1, 0.29]);
    const ring = traces.find((t) => String(t.name).startsWith('at budget'))!;
    expect(x(ring).sort()).toEqual([0.29, 0.3]);
    const singles = traces.find((t) => t.name === 'single models') as { text: string[] };
    // Only the three most accurate models are labelled on the chart; hover names every one.
    expect(singles.text.filter(Boolean).sort()).toEqual(['claude-v1', 'gpt-4', 'yi-34b']);
    expect(modelName('single:openai/gpt-4')).toBe('gpt-4');
  });

  it('hides what the user unticks', () => {
    const traces = frontierTraces(rows, null, new Set(['threshold']));
    expect(traces.map((t) => t.name)).toEqual(['Threshold']);
  });

  it('leaves empty reliability bins out of the curves', () => {
    const bins = [
      { lo: 0, hi: 0.5, count: 0, meanPredicted: null, observedRate: null },
      { lo: 0.5, hi: 1, count: 10, meanPredicted: 0.7, observedRate: 0.6 },
    ];
    const [bars, diagonal, before, after] = reliabilityTraces(bins, bins);
    expect(x(bars)).toEqual([0.25, 0.75]);
    expect(x(diagonal)).toEqual([0, 1]);
    expect(x(before)).toEqual([0.7]);
    expect((after as { y: number[] }).y).toEqual([0.6]);
  });

  it('counts GPUs in use and bounds sliders by owned plus bought GPUs', () => {
    const ctx: WhatIfContextInfo = {
      contextId: 'c',
      models: ['a', 'b'],
      gpuTypes: [{ name: 'H100', count: 8, hourlyPrice: 4 }],
      deployments: [
        { model: 'a', gpuType: 'H100', gpusPerInstance: 2, qpsPerInstance: 10, perf: null },
        { model: 'b', gpuType: 'H100', gpusPerInstance: 4, qpsPerInstance: 5, perf: null },
      ],
      workload: { inputTokens: 100, outputTokens: { a: 10, b: 10 } },
      slo: null,
      refusedDeployments: [],
      sample: 100,
      ms: 1,
    };
    expect(gpusUsed(ctx, { 'a@H100': 2, 'b@H100': 1 })).toEqual({ H100: 8 });
    expect(maxInstances(ctx, ctx.deployments[1], {})).toBe(2);
    expect(maxInstances(ctx, ctx.deployments[1], { H100: 4 })).toBe(3);
    expect(maxInstances(ctx, ctx.deployments[0], { H100: -10 })).toBe(0);
  });
});
