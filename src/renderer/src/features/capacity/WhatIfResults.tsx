import { useMemo, useRef } from 'react';
import type { ModelLoad, WhatIfResult } from '../../../../shared/contract/allocation';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { DataTable, type Column } from '../../components/DataTable';
import { ExportButtons } from '../../components/ExportButtons';
import { Panel } from '../../components/States';
import { Metric } from '../../components/Metric';
import { count, duration, percent, queriesPerSecond, usd, usdPerHour, usdPerMonth } from '../../format/units';
import { InfoTip } from '../../components/InfoTip';
import { metricTerms, solverTerms } from '../../format/glossary';
import { deploymentKey, type Counts, type WhatIfContextInfo } from './types';

const loadColumns: Column<ModelLoad>[] = [
  { key: 'model', header: 'Model', value: (m) => m.model, render: (m) => m.model },
  { key: 'inst', header: 'Instances', numeric: true, value: (m) => (m.hosted ? m.instances : null), render: (m) => (m.hosted ? count(m.instances) : 'API') },
  { key: 'share', header: 'Traffic share', numeric: true, value: (m) => m.share, render: (m) => percent(m.share) },
  { key: 'arrival', header: 'Arrivals', numeric: true, value: (m) => m.arrivalQps, render: (m) => queriesPerSecond(m.arrivalQps) },
  { key: 'cap', header: 'Capacity', numeric: true, value: (m) => m.capacityQps, render: (m) => (m.capacityQps == null ? 'unlimited' : queriesPerSecond(m.capacityQps)) },
  { key: 'util', header: 'Utilisation', numeric: true, help: metricTerms.utilisation.help, value: (m) => m.utilisation, render: (m) => <span className={m.utilisation != null && m.utilisation > 1 ? 'error-text' : undefined}>{percent(m.utilisation, 0)}</span> },
  { key: 'p90', header: 'p90 TTFT · TPOT', numeric: true, help: 'p90 time to first token and time per output token of one instance at its planned load, from the performance model, or from your measurements where they cover it.', value: (m) => m.ttftP90Ms ?? null, render: (m) => (m.ttftP90Ms == null || m.tpotP90Ms == null ? '—' : `${duration(m.ttftP90Ms)} · ${duration(m.tpotP90Ms)}${m.latencySource?.ttftP90Ms === 'measured' ? ' (measured)' : ''}`) },
  { key: 'wait', header: 'Mean wait', numeric: true, help: metricTerms.meanWait.help, value: (m) => m.meanWaitS, render: (m) => (m.meanWaitS == null ? '—' : duration(m.meanWaitS * 1000)) },
  { key: 'cost', header: 'Cost', numeric: true, value: (m) => m.hourlyCost, render: (m) => usdPerHour(m.hourlyCost) },
  { key: 'capSource', header: 'Capacity from', value: (m) => m.capacitySource ?? null, render: (m) => (m.hosted ? (m.capacitySource ?? '—') : 'API limit') },
];

/** The what-if answer: headline figures, load per model, and a utilisation heat map per model and GPU type. */
export function WhatIfResults({ result, ctx, counts }: { result: WhatIfResult; ctx: WhatIfContextInfo; counts: Counts }) {
  const heat = useRef<PlotHandle | null>(null);
  const hosted = result.models.filter((m) => m.hosted);
  const gpuNames = ctx.gpuTypes.map((g) => g.name);
  const heatData = useMemo(() => {
    // A model's utilisation shows on the GPU types it runs on; the cell text is its instance count there.
    const z = hosted.map((m) => gpuNames.map((g) => (counts[deploymentKey({ model: m.model, gpuType: g })] ? (m.utilisation ?? null) : null)));
    const text = hosted.map((m) => gpuNames.map((g) => {
      const n = counts[deploymentKey({ model: m.model, gpuType: g })] ?? 0;
      return n ? `${n} inst.` : '';
    }));
    return [{ type: 'heatmap' as const, x: gpuNames, y: hosted.map((m) => m.model), z, text: text as unknown as string[] /* plotly takes a matrix for heatmaps; its types say 1-D */, texttemplate: '%{text}', zmin: 0, zmax: 1, colorscale: [[0, '#fff5d6'], [0.5, '#fd8d3c'], [1, '#b10026']] as [number, string][], colorbar: { title: { text: 'utilisation' }, tickformat: '.0%' }, hovertemplate: '%{y} on %{x}<br>utilisation %{z:.0%}<br>%{text}<extra></extra>', xgap: 2, ygap: 2 }];
  }, [hosted, gpuNames, counts]);
  const layout = useMemo(() => ({ margin: { l: 160, r: 20, t: 16, b: 40 }, yaxis: { automargin: true }, xaxis: { side: 'bottom' as const } }), []);
  // Infinity (uncapped API models) arrives as null over JSON: both mean no limit.
  const status = result.status === 'ok' ? null : <p className="notice error" role="alert" data-testid="whatif-status">{result.status === 'overloaded' ? 'Overloaded' : 'Infeasible'}{result.binding ? ` (${result.binding})` : ''}: {result.message}</p>;
  return (
    <div data-testid="whatif-results">
      {status}
      <div className="metric-grid">
        <Metric label="Expected quality" help={metricTerms.quality.help} value={percent(result.quality)} sub={result.qualityBound != null ? <>bound {percent(result.qualityBound)}<InfoTip text={solverTerms.bound.help} label={solverTerms.bound.label} /></> : undefined} testId="whatif-quality" />
        <Metric label="Throughput headroom" help={metricTerms.headroom.help} value={Number.isFinite(result.capacityQps) ? queriesPerSecond(result.headroomQps) : 'unlimited'} sub={`capacity ${Number.isFinite(result.capacityQps) ? queriesPerSecond(result.capacityQps) : 'unlimited'} for ${queriesPerSecond(result.trafficQps)}`} />
        <Metric label="Cost" value={usdPerHour(result.hourlyCost)} sub={`${usdPerMonth(result.hourlyCost)} · GPUs ${usdPerHour(result.gpuHourlyCost)} · API ${usdPerHour(result.apiHourlyCost)}`} testId="whatif-cost" />
        <Metric label="Per 1,000 queries" help={metricTerms.per1k.help} value={usd(result.costPer1k)} sub={`${usd(result.costPer1k != null ? result.costPer1k / 1000 : null)} per query`} />
      </div>
      {/* Mean wait exists only for typed profiles (an M/M/c figure); under the performance model the p90s say it. */}
      {/* Full width, one above the other: beside the heat map the table clipped its last columns at 1280 px. */}
      <div className="stacked" style={{ marginTop: 12 }}>
        <Panel title="Load per model" id="load" actions={<ExportButtons name="load-per-model" csv={() => ({ header: ['model', 'hosted', 'instances', 'share', 'arrival_qps', 'capacity_qps', 'utilisation', 'mean_wait_s', 'hourly_cost_usd'], rows: result.models.map((m) => [m.model, m.hosted, m.instances, m.share, m.arrivalQps, m.capacityQps, m.utilisation, m.meanWaitS, m.hourlyCost]) })} />}>
          <DataTable rows={result.models} columns={result.models.some((m) => m.meanWaitS != null) ? loadColumns : loadColumns.filter((c) => c.key !== 'wait')} rowKey={(m) => m.model} initialSort={{ key: 'share', desc: true }} testId="load-table" />
        </Panel>
        <Panel title="Utilisation by model and GPU type" id="heat" actions={<ExportButtons name="utilisation" csv={() => ({ header: ['model', ...gpuNames], rows: heatData[0].z.map((r, i) => [hosted[i].model, ...r]) })} image={(f) => heat.current!.toImage(f)} />}>
          {hosted.length > 0 ? <Plot data={heatData} layout={layout} handle={heat} label="Utilisation heat map per model and GPU type" testId="utilisation-heatmap" height={Math.max(240, 28 * hosted.length + 80)} /> : <p className="muted">No self-hosted model runs in this plan.</p>}
        </Panel>
      </div>
    </div>
  );
}
