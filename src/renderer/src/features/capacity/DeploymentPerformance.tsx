import { useEffect, useMemo, useRef, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { WhatIfResult } from '../../../../shared/contract/allocation';
import { useCall } from '../../app/use-call';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ExportButtons } from '../../components/ExportButtons';
import { Panel } from '../../components/States';
import { count, decimal, queriesPerSecond, tokensPerSecond } from '../../format/units';
import { latencyAt, perInstanceRate, sameName } from './perf-point';
import { deploymentKey, own, type Counts, type WhatIfContextInfo } from './types';

/**
 * One deployment's serving performance under the plan: p90 TTFT and TPOT against output tok/s as
 * concurrency grows (performance.curve), the SLO lines, the plan's operating point per instance,
 * imported measurements drawn apart, and where the GPUs' memory goes.
 */
export function DeploymentPerformance({ ctx, counts, result }: { ctx: WhatIfContextInfo; counts: Counts; result: WhatIfResult | null }) {
  const chosenFrom = ctx.deployments.filter((d) => (counts[deploymentKey(d)] ?? 0) > 0 && d.perf?.describe);
  const [key, setKey] = useState<string | null>(null);
  // Keyed by the deployments with instances (the list itself is rebuilt on every render).
  useEffect(() => {
    if (chosenFrom.length && !chosenFrom.some((d) => deploymentKey(d) === key)) setKey(deploymentKey(chosenFrom[0]));
  }, [chosenFrom.map(deploymentKey).join(), key]);
  const d = chosenFrom.find((x) => deploymentKey(x) === key) ?? chosenFrom[0];
  const describe = d?.perf?.describe;
  const outputTokens = d ? (own(ctx.workload.outputTokens, d.model) ?? 256) : 256;
  const curve = useCall('performance.curve', describe ? { model: describe.architecture, gpu: describe.gpu, gpus: describe.gpus, tp: describe.tp, precision: describe.precision, engine: describe.engine, inputTokens: ctx.workload.inputTokens, outputTokens, points: 32 } : { model: 'x', gpu: 'x', gpus: 1, inputTokens: 1, outputTokens: 1 }, !!describe);
  const measured = useCall('performance.listMeasurements', {}, !!describe);
  const chart = useRef<PlotHandle | null>(null);
  const memChart = useRef<PlotHandle | null>(null);

  // The plan's operating point: the model's arrivals split over its deployments by capacity.
  const op = useMemo(() => {
    if (!d || !result) return null;
    const load = result.models.find((m) => m.model === d.model);
    if (!load) return null;
    const own = ctx.deployments.filter((x) => x.model === d.model).map((x) => ({ qpsPerInstance: x.qpsPerInstance, instances: counts[deploymentKey(x)] ?? 0 }));
    const rate = perInstanceRate(load.arrivalQps, own, ctx.deployments.filter((x) => x.model === d.model).indexOf(d));
    // The what-if's own latencies (measurements included) when the model runs on this deployment alone.
    const alone = own.filter((x) => x.instances > 0).length === 1 && load.ttftP90Ms != null && load.tpotP90Ms != null;
    return { rate, x: rate * outputTokens, latency: alone ? { ttftP90Ms: load.ttftP90Ms!, tpotP90Ms: load.tpotP90Ms! } : null };
  }, [d, result, ctx, counts, outputTokens]);

  const points = useMemo(() => {
    if (!describe || !d || !measured.data) return [];
    return measured.data
      .filter((m) => m.gpus === describe.gpus && (sameName(m.model, describe.architecture) || sameName(m.model, d.model)) && (sameName(m.gpu, describe.gpu) || sameName(m.gpu, d.gpuType)))
      .flatMap((m) => m.measurements);
  }, [measured.data, describe, d]);

  const c = curve.data;
  const slo = ctx.slo;
  const data = useMemo<Data[]>(() => {
    if (!c) return [];
    const x = c.points.map((p) => p.outputTokensPerS);
    const conc = c.points.map((p) => p.concurrency);
    const traces: Data[] = [
      { type: 'scatter', mode: 'lines+markers', name: 'p90 TTFT (estimated)', x, y: c.points.map((p) => p.ttftP90Ms), customdata: conc, line: { color: '#0072B2', width: 2 }, marker: { size: 4 }, hovertemplate: '%{x:,.0f} tok/s · concurrency %{customdata}<br>p90 TTFT %{y:,.0f} ms<extra></extra>' },
      { type: 'scatter', mode: 'lines+markers', name: 'p90 TPOT (estimated)', x, y: c.points.map((p) => p.tpotP90Ms), customdata: conc, yaxis: 'y2', line: { color: '#D55E00', width: 2 }, marker: { size: 4 }, hovertemplate: '%{x:,.0f} tok/s · concurrency %{customdata}<br>p90 TPOT %{y:.1f} ms<extra></extra>' },
    ];
    if (points.length) {
      const text = points.map((m) => `${m.inputTokens}→${m.outputTokens} tok, ${m.source}`);
      traces.push({ type: 'scatter', mode: 'markers', name: 'p90 TTFT measured', x: points.map((m) => m.outputTokensPerS), y: points.map((m) => m.ttftMs.p90 ?? null), text, marker: { symbol: 'x', size: 10, color: '#0072B2' }, hovertemplate: 'measured %{x:,.0f} tok/s<br>p90 TTFT %{y:,.0f} ms<br>%{text}<extra></extra>' });
      traces.push({ type: 'scatter', mode: 'markers', name: 'p90 TPOT measured', x: points.map((m) => m.outputTokensPerS), y: points.map((m) => m.tpotMs.p90 ?? null), text, yaxis: 'y2', marker: { symbol: 'diamond-open', size: 10, color: '#D55E00' }, hovertemplate: 'measured %{x:,.0f} tok/s<br>p90 TPOT %{y:.1f} ms<br>%{text}<extra></extra>' });
    }
    if (op && op.x > 0) {
      const at = op.latency ?? latencyAt(c.points, op.x);
      if (at) {
        traces.push({ type: 'scatter', mode: 'text+markers', name: 'planned operating point', x: [op.x, op.x], y: [at.ttftP90Ms, null], text: ['plan'], textposition: 'top right', marker: { symbol: 'star', size: 16, color: '#009E73', line: { color: '#000', width: 1 } }, hovertemplate: `plan: ${op.rate.toFixed(2)} req/s per instance<br>%{x:,.0f} tok/s · p90 TTFT %{y:,.0f} ms<extra></extra>` });
        traces.push({ type: 'scatter', mode: 'markers', name: 'planned operating point (TPOT)', showlegend: false, x: [op.x], y: [at.tpotP90Ms], yaxis: 'y2', marker: { symbol: 'star', size: 16, color: '#009E73', line: { color: '#000', width: 1 } }, hovertemplate: `plan: %{x:,.0f} tok/s · p90 TPOT %{y:.1f} ms<extra></extra>` });
      }
    }
    return traces;
  }, [c, points, op]);
  const layout = useMemo<Partial<Layout>>(
    () => ({
      xaxis: { title: { text: 'output tokens/s per instance' }, rangemode: 'tozero' },
      yaxis: { title: { text: 'p90 TTFT (ms)' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'p90 TPOT (ms)' }, overlaying: 'y', side: 'right', showgrid: false, rangemode: 'tozero' },
      margin: { l: 64, r: 64, t: 56, b: 50 },
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
      shapes: slo
        ? [
            { type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: slo.ttftP90Ms, y1: slo.ttftP90Ms, line: { color: '#0072B2', dash: 'dash', width: 1 } },
            { type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y2', y0: slo.tpotP90Ms, y1: slo.tpotP90Ms, line: { color: '#D55E00', dash: 'dash', width: 1 } },
          ]
        : [],
      annotations: slo
        ? [
            { xref: 'paper', x: 0.01, xanchor: 'left', yref: 'y', y: slo.ttftP90Ms, text: `SLO TTFT ${count(slo.ttftP90Ms)} ms`, showarrow: false, yshift: 8, font: { color: '#0072B2', size: 11 } },
            { xref: 'paper', x: 0.99, xanchor: 'right', yref: 'y2', y: slo.tpotP90Ms, text: `SLO TPOT ${count(slo.tpotP90Ms)} ms`, showarrow: false, yshift: 8, font: { color: '#D55E00', size: 11 } },
          ]
        : [],
    }),
    [slo],
  );

  // Memory of one instance: weights, runtime overhead, KV cache, and what the engine leaves free.
  const memory = useMemo(() => {
    if (!c || !describe) return null;
    const total = describe.memoryGb != null ? describe.memoryGb * describe.gpus : null;
    const parts = [
      { name: 'weights', gb: c.memory.weightsGb, color: '#0072B2' },
      { name: 'runtime overhead', gb: c.memory.overheadGb, color: '#999999' },
      { name: 'KV cache', gb: c.memory.kvCacheGb, color: '#009E73' },
      ...(total != null ? [{ name: 'free', gb: Math.max(0, total - c.memory.usableGb), color: '#dddddd' }] : []),
    ];
    return { total: total ?? c.memory.usableGb, parts };
  }, [c, describe]);
  const memData = useMemo<Data[]>(() => (memory ? memory.parts.map((p) => ({ type: 'bar', orientation: 'h', name: p.name, x: [p.gb], y: ['memory'], marker: { color: p.color }, text: [`${p.name} ${p.gb.toFixed(1)} GB`], textposition: 'inside', insidetextanchor: 'middle', hovertemplate: `${p.name}: %{x:.1f} GB<extra></extra>` })) : []), [memory]);
  const memLayout = useMemo<Partial<Layout>>(() => ({ barmode: 'stack', xaxis: { title: { text: `GB across ${describe?.gpus ?? 1} GPU(s)` }, range: [0, memory?.total ?? 1] }, yaxis: { showticklabels: false }, margin: { l: 16, r: 16, t: 36, b: 40 }, legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', traceorder: 'normal' } }), [memory, describe]);

  if (!chosenFrom.length) return null;
  return (
    <Panel
      title="Serving performance per deployment"
      id="deployment-perf"
      actions={c && <ExportButtons name={`performance-${key ?? ''}`} csv={() => ({ header: ['concurrency', 'output_tok_s', 'requests_s', 'ttft_p90_ms', 'tpot_p90_ms', 'kv_used_gb', 'source'], rows: [...c.points.map((p) => [p.concurrency, p.outputTokensPerS, p.requestsPerS, p.ttftP90Ms, p.tpotP90Ms, p.kvUsedGb, 'estimated']), ...points.map((m) => [m.concurrency ?? null, m.outputTokensPerS, m.requestsPerS ?? null, m.ttftMs.p90 ?? null, m.tpotMs.p90 ?? null, null, 'measured'])] })} image={(f) => chart.current!.toImage(f)} />}
    >
      <div className="row">
        <label>
          <span className="small muted">Deployment (with instances)</span>
          <select value={key ?? ''} onChange={(e) => setKey(e.target.value)} data-testid="perf-deployment">
            {chosenFrom.map((x) => (
              <option key={deploymentKey(x)} value={deploymentKey(x)}>
                {x.model} on {x.gpuType} ({count(counts[deploymentKey(x)])} inst.)
              </option>
            ))}
          </select>
        </label>
        {d && describe && (
          <span className="small muted" data-testid="perf-describe">
            {describe.architecture} · {describe.gpus}× {describe.gpu} (TP {describe.tp}) · {describe.precision} · {describe.engine} · {ctx.workload.inputTokens.toFixed(0)}→{outputTokens.toFixed(0)} tokens · goodput {queriesPerSecond(d.qpsPerInstance)} per instance ({d.perf?.source})
            {op && ` · planned ${queriesPerSecond(op.rate)} = ${tokensPerSecond(op.x)} per instance`}
            {points.length > 0 && ` · ${count(points.length)} measured points`}
          </span>
        )}
      </div>
      {curve.error && <ErrorNotice error={curve.error} />}
      {c && (
        <div className="two-col">
          <Plot data={data} layout={layout} handle={chart} label="Throughput against p90 TTFT and TPOT as concurrency grows, with the SLO lines and the planned operating point" testId="perf-curve" height={340} />
          <div>
            <div className="row">
              <strong className="grow">Memory per instance</strong>
              <ExportButtons name={`memory-${key ?? ''}`} csv={() => ({ header: ['part', 'gb'], rows: memory!.parts.map((p) => [p.name, p.gb]) })} image={(f) => memChart.current!.toImage(f)} />
            </div>
            <Plot data={memData} layout={memLayout} handle={memChart} label="Memory of one instance: weights, runtime overhead, KV cache and free" testId="memory-bar" height={180} />
            <p className="small muted">
              KV cache holds {count(c.memory.kvTokenCapacity)} tokens: at most {count(c.maxConcurrency)} sequences of this shape at once ({decimal(c.memory.kvBytesPerToken / 1024, 0)} KB per token). Free is memory the engine leaves unallotted.
            </p>
          </div>
        </div>
      )}
    </Panel>
  );
}
