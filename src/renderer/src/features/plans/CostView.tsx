import { useMemo, useRef } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { PlanFile } from '../../../../shared/contract/planning';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { ExportButtons } from '../../components/ExportButtons';
import { Metric } from '../../components/Metric';
import { Panel } from '../../components/States';
import { percent, usd } from '../../format/units';
import { costBars, tierLabels } from './plan-series';
import { ReservedWhatIf } from './ReservedWhatIf';
import type { PlanCreateResult, PlanForm } from './plan-form';

const tierColours = { reserved: '#0072B2', onDemand: '#E69F00', spot: '#009E73', api: '#CC79A7' } as const;
export const usdPerMonth = (x: number | null | undefined) => (x == null ? '—' : `${usd(x)}/month`);

/** The month's money: $ stacked by tier and GPU type, unit costs, and the reserved-term what-if. */
export function CostView({ result, form }: { result: PlanCreateResult; form: PlanForm }) {
  const plan: PlanFile = result.plan;
  const chart = useRef<PlotHandle | null>(null);
  const bars = useMemo(() => costBars(plan), [plan]);
  const data = useMemo<Data[]>(() => bars.map((b) => ({ type: 'bar', name: tierLabels[b.tier], x: b.x, y: b.y, marker: { color: tierColours[b.tier] }, hovertemplate: `%{x}<br>$%{y:,.0f}/month<extra>${tierLabels[b.tier]}</extra>` })), [bars]);
  const layout = useMemo<Partial<Layout>>(() => ({ barmode: 'stack', yaxis: { title: { text: 'USD per month' }, tickprefix: '$' }, xaxis: { title: { text: 'GPU type' } }, margin: { l: 70, r: 16, t: 20, b: 50 } }), []);
  const m = plan.money;
  return (
    <Panel
      title="Cost by the month"
      id="plans-cost"
      actions={<ExportButtons name="plan-cost" csv={() => ({ header: ['gpu_type', 'tier', 'usd_per_month'], rows: bars.flatMap((b) => b.x.map((x, i) => [x, b.tier, b.y[i]])) })} image={(f) => chart.current!.toImage(f)} />}
    >
      <div className="metric-grid" data-testid="plan-cost-metrics">
        <Metric label="Per month" value={usd(m.total)} sub={`reserved ${usd(m.byTier.reserved)} · on-demand ${usd(m.byTier.onDemand)} · spot ${usd(m.byTier.spot)} · API ${usd(m.byTier.api)}`} testId="plan-monthly" />
        <Metric label="Per 1M tokens" value={usd(m.perMillionTokens)} />
        <Metric label="Per 1,000 requests" value={usd(m.perThousandRequests)} />
        <Metric label="Promised SLO attainment" value={percent(result.sloAttainment, 2)} sub={`p90 TTFT ≤ ${plan.slo.ttftP90Ms} ms and TPOT ≤ ${plan.slo.tpotP90Ms} ms`} testId="plan-attainment" />
        <Metric label="Expected quality" value={percent(result.quality)} sub={`${result.objective === 'quality' ? 'best quality, then cheapest' : 'cheapest at the floor'} · gap ${percent(result.design.allocation.gap, 2)}`} />
      </div>
      <Plot data={data} layout={layout} handle={chart} label="Monthly cost stacked by price tier and GPU type" testId="plan-cost-chart" height={320} />
      <p className="small muted">
        Reserved GPUs: {plan.tiers.map((t) => `${t.gpuType} ${t.reservedGpus} (${t.reservedTerm})`).join(' · ') || 'none'}. Prices per tier are assumptions (on-demand × 0.6 for 1 year, × 0.45 for 3 years, spot × 0.35) unless the workspace sets them.
      </p>
      <ReservedWhatIf form={form} current={result} />
    </Panel>
  );
}
