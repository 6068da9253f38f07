import { useMemo, useRef } from 'react';
import type { SweepPoint } from '../../../../shared/contract/allocation';
import { useJobs } from '../../app/jobs';
import { useSticky } from '../../app/sticky';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ExportButtons } from '../../components/ExportButtons';
import { Panel, ProgressBar } from '../../components/States';
import type { WhatIfContextInfo } from './types';
import { ChoiceField } from '../../components/ChoiceField';

/** Quality and cost against GPUs bought of one type: each point is a fresh optimal allocation. */
export function Procurement({ ctx }: { ctx: WhatIfContextInfo }) {
  const jobs = useJobs();
  const [gpuType, setGpuType] = useSticky('capacity.sweepGpu', ctx.gpuTypes[0]?.name ?? '');
  const [maxBuy, setMaxBuy] = useSticky('capacity.sweepMax', 16);
  const [steps, setSteps] = useSticky('capacity.sweepSteps', 5);
  const [jobId, setJobId] = useSticky<string | null>('capacity.sweepJob', null);
  const job = jobId ? jobs.jobs.find((j) => j.jobId === jobId) : undefined;
  const points = job?.state === 'done' ? (job.result as SweepPoint[]) : null;
  const running = job?.state === 'running';
  const chart = useRef<PlotHandle | null>(null);
  const data = useMemo(() => {
    if (!points) return [];
    const ok = points.filter((p) => p.quality != null);
    return [
      { type: 'scatter' as const, mode: 'lines+markers' as const, name: 'expected quality', x: ok.map((p) => p.bought), y: ok.map((p) => p.quality), customdata: ok.map((p) => p.gap ?? NaN), line: { color: '#0072B2', width: 2 }, hovertemplate: '%{x} bought<br>quality %{y:.2%}<br>certified gap %{customdata:.3%}<extra></extra>' },
      { type: 'scatter' as const, mode: 'lines+markers' as const, name: '$ per hour', x: ok.map((p) => p.bought), y: ok.map((p) => p.hourlyCost), yaxis: 'y2', line: { color: '#D55E00', dash: 'dot' as const }, hovertemplate: '%{x} bought<br>$%{y:.2f}/h<extra></extra>' },
    ];
  }, [points]);
  // A flat curve let plotly's autorange run the quality axis past 100%: the range hugs the points, within 0-100%.
  const qualityRange = useMemo(() => {
    const q = (points ?? []).flatMap((p) => (p.quality != null ? [p.quality] : []));
    if (!q.length) return undefined;
    const lo = Math.min(...q);
    const hi = Math.max(...q);
    const pad = Math.max(0.005, (hi - lo) * 0.15);
    return [Math.max(0, lo - pad), Math.min(1, hi + pad)];
  }, [points]);
  const layout = useMemo(() => ({ xaxis: { title: { text: `${gpuType} GPUs bought` } }, yaxis: { title: { text: 'expected quality' }, tickformat: '.1%', ...(qualityRange ? { range: qualityRange } : {}) }, yaxis2: { overlaying: 'y' as const, side: 'right' as const, showgrid: false, title: { text: '$ per hour' } }, margin: { l: 60, r: 60, t: 20, b: 50 } }), [gpuType, qualityRange]);

  const run = async () => {
    const r = jobs.start<SweepPoint[]>('whatif.sweep', { contextId: ctx.contextId, gpuType, maxBuy, steps });
    setJobId(await r.jobId.catch(() => null));
  };
  return (
    <Panel
      title="Procurement curve"
      id="procurement"
      actions={points && <ExportButtons name={`procurement-${gpuType}`} csv={() => ({ header: ['bought', 'status', 'quality', 'gap', 'hourly_cost_usd', 'cost_per_1k_usd'], rows: points.map((p) => [p.bought, p.status, p.quality, p.gap, p.hourlyCost, p.costPer1k]) })} image={(f) => chart.current!.toImage(f)} />}
    >
      <div className="row">
        <ChoiceField label="GPU type to buy" value={gpuType} options={ctx.gpuTypes.map((g) => ({ value: g.name, label: g.name }))} onChange={setGpuType} disabled={running} testId="sweep-gpu" />
        <label>
          <span className="small muted">Up to (GPUs)</span>
          <input type="number" min={1} max={10000} value={maxBuy} onChange={(e) => setMaxBuy(Math.max(1, Math.trunc(Number(e.target.value))))} disabled={running} className="narrow" />
        </label>
        <label>
          <span className="small muted">Points</span>
          <input type="number" min={2} max={50} value={steps} onChange={(e) => setSteps(Math.min(50, Math.max(2, Math.trunc(Number(e.target.value)))))} disabled={running} className="narrow" />
        </label>
        <button onClick={() => void run()} disabled={running || !gpuType}>
          Sweep
        </button>
        {running && <button onClick={() => void jobs.cancel(job.jobId)}>Cancel</button>}
      </div>
      {running && <ProgressBar fraction={job.progress?.fraction ?? 0} label="Procurement sweep progress" />}
      {job?.state === 'failed' && job.error && <ErrorNotice error={job.error} />}
      {points && <Plot data={data} layout={layout} handle={chart} label="Procurement curve: quality and cost against GPUs bought" testId="procurement-chart" height={320} />}
    </Panel>
  );
}
