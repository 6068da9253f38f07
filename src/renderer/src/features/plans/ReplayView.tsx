import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { PlanFile } from '../../../../shared/contract/planning';
import { useJobs } from '../../app/jobs';
import { useSticky } from '../../app/sticky';
import { TitledChart } from './TitledChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Metric } from '../../components/Metric';
import { Panel, ProgressBar } from '../../components/States';
import { count, duration, percent, usd } from '../../format/units';
import type { ReplayReportOut } from './plan-form';

const colours = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

/**
 * Replays the plan through the continuous-batching simulation (plan.replay, a job) and sets what
 * it measured beside what the plan promised: SLO attainment and utilisation per interval, requests
 * sent to the API or dropped, and the totals.
 */
export function ReplayView({ plan, planJobId, demandId, scale }: { plan: PlanFile; planJobId: string; demandId?: number; scale?: number }) {
  const jobs = useJobs();
  const [hours, setHours] = useSticky<number | null>('plans.replayHours', 2);
  const [replay, setReplay] = useSticky<{ planJobId: string; jobId: string } | null>('plans.replayJob', null);
  const job = replay?.planJobId === planJobId ? jobs.jobs.find((j) => j.jobId === replay.jobId) : undefined;
  const report = job?.state === 'done' ? (job.result as ReplayReportOut) : null;
  const running = job?.state === 'running';

  const run = async () => {
    const r = jobs.start<ReplayReportOut>('plan.replay', { plan, ...(demandId != null ? { demandId } : {}), ...(scale != null ? { scale } : {}), ...(hours != null ? { hours } : {}) }, `Replay ${hours != null ? `${hours} h` : 'the demand'}`);
    r.result.catch(() => undefined); // shown from the jobs list
    const id = await r.jobId.catch(() => null);
    if (id) setReplay({ planJobId, jobId: id });
  };

  // Intervals the replay covered: those up to the hours limit (the report lists the plan's all).
  const covered = useMemo(() => {
    if (!report) return 0;
    const byHours = hours != null ? Math.ceil((hours * 3600) / plan.intervalS) : report.intervals.length;
    return Math.min(report.intervals.length, byHours);
  }, [report, hours, plan.intervalS]);
  const x = useMemo(() => Array.from({ length: covered }, (_, t) => (t * plan.intervalS) / 3600), [covered, plan.intervalS]);
  const deploymentName = (j: number) => `${plan.models[plan.deployments[j].model].name} on ${plan.deployments[j].gpuType}`;

  const attainment = useMemo<Data[]>(() => {
    if (!report) return [];
    const iv = report.intervals.slice(0, covered);
    return [
      { type: 'scatter', mode: 'lines+markers', name: 'replayed', x, y: iv.map((v) => v.attainment), line: { color: '#0072B2', width: 2 }, hovertemplate: '%{x:.1f} h<br>%{y:.2%}<extra>replayed</extra>' },
      { type: 'scatter', mode: 'lines+markers', name: 'promised', x, y: plan.intervals.slice(0, covered).map((v) => v.attainment), line: { color: '#D55E00', dash: 'dash' }, marker: { symbol: 'diamond' }, hovertemplate: '%{x:.1f} h<br>%{y:.2%}<extra>promised</extra>' },
    ];
  }, [report, covered, x, plan]);
  const utilisation = useMemo<Data[]>(() => {
    if (!report) return [];
    const iv = report.intervals.slice(0, covered);
    return plan.deployments.flatMap((_, j) =>
      iv.some((v) => (v.activeInstances[j] ?? 0) > 0)
        ? [
            { type: 'scatter' as const, mode: 'lines+markers' as const, name: `${deploymentName(j)} replayed`, x, y: iv.map((v) => v.utilisation[j]), line: { color: colours[j % colours.length] }, hovertemplate: `%{x:.1f} h<br>%{y:.1%}<extra>${deploymentName(j)}</extra>` },
            { type: 'scatter' as const, mode: 'lines' as const, name: `${deploymentName(j)} planned`, x, y: plan.intervals.slice(0, covered).map((v) => v.utilisation[j]), line: { color: colours[j % colours.length], dash: 'dot' as const }, hovertemplate: `%{x:.1f} h<br>%{y:.1%}<extra>${deploymentName(j)} planned</extra>` },
          ]
        : [],
    );
  }, [report, covered, x, plan]);
  const lost = useMemo<Data[]>(() => {
    if (!report) return [];
    const iv = report.intervals.slice(0, covered);
    return [
      { type: 'bar', name: 'to the API (routed)', x, y: iv.map((v) => v.api), marker: { color: '#CC79A7' } },
      { type: 'bar', name: 'overflowed', x, y: iv.map((v) => v.overflowed), marker: { color: '#E69F00' } },
      { type: 'bar', name: 'dropped', x, y: iv.map((v) => v.dropped), marker: { color: '#b10026' } },
    ];
  }, [report, covered, x]);
  // Few intervals: one tick per interval; the legend above the plot, clear of the axis title.
  const nUtil = utilisation.length;
  const [attainmentLayout, utilLayout, lostLayout] = useMemo<Partial<Layout>[]>(() => {
    const xaxis = { title: { text: 'hours from the demand’s start' }, ...(covered <= 24 ? { dtick: plan.intervalS / 3600 } : {}) };
    const legend = { orientation: 'h' as const, x: 0, y: 1.02, yanchor: 'bottom' as const };
    const margin = { l: 64, r: 16, t: 60, b: 50 };
    return [
      { xaxis, legend, margin, yaxis: { title: { text: 'requests within the SLO' }, tickformat: '.2%' } },
      { xaxis, legend, margin: { ...margin, t: 20 + 18 * Math.ceil(nUtil / 2) }, yaxis: { title: { text: 'load / goodput' }, tickformat: '.0%', rangemode: 'tozero' } },
      { barmode: 'stack', xaxis, legend, margin, yaxis: { title: { text: 'requests' }, rangemode: 'tozero' } },
    ];
  }, [covered, plan.intervalS, nUtil]);
  const intervalsCsv = () => ({
    header: ['interval', 'start_h', 'arrivals', 'served', 'api', 'overflowed', 'dropped', 'attainment_replayed', 'attainment_promised', ...plan.deployments.map((_, j) => `util_${deploymentName(j)}`)],
    rows: report!.intervals.slice(0, covered).map((v, t) => [t, x[t], v.arrivals, v.served, v.api, v.overflowed, v.dropped, v.attainment, plan.intervals[t]?.attainment, ...v.utilisation]),
  });

  return (
    <Panel title="Replay" id="plans-replay">
      <div className="row">
        <label>
          <span className="small muted">Hours to replay (empty = all)</span>
          <input type="number" min={0.1} step="any" value={hours ?? ''} onChange={(e) => setHours(e.target.value === '' ? null : Math.max(0.1, Number(e.target.value)))} className="narrow" data-testid="replay-hours" disabled={running} />
        </label>
        <button className="primary" onClick={() => void run()} disabled={running} data-testid="replay-button">
          Replay the plan
        </button>
        {running && (
          <button onClick={() => void jobs.cancel(job.jobId)} data-testid="replay-cancel">
            Cancel
          </button>
        )}
      </div>
      {running && <ProgressBar fraction={job.progress?.fraction ?? 0} label="Replay progress" />}
      {job?.state === 'failed' && job.error && <ErrorNotice error={job.error} />}
      {job?.state === 'cancelled' && <p className="muted">The replay was cancelled.</p>}
      {report && (
        <>
          <div className="metric-grid" style={{ marginTop: 10 }} data-testid="replay-totals">
            <Metric label="SLO attainment, replayed" value={percent(report.sloAttainment, 2)} sub={`promised ${percent(report.promised.sloAttainment, 2)} (${((report.sloAttainment - report.promised.sloAttainment) * 100).toFixed(2)} points)`} testId="replay-attainment" />
            <Metric label="Cost, replayed" value={`${usd(report.monthlyCost)}/month`} sub={`promised ${usd(report.promised.monthlyCost)}/month`} />
            <Metric label="Requests" value={count(report.requests)} sub={`served ${count(report.served)} · API ${count(report.api)} · overflowed ${count(report.overflowed)} · dropped ${count(report.dropped)}`} testId="replay-requests" />
            <Metric label="p90 TTFT · TPOT" value={`${duration(report.ttftP90Ms)} · ${duration(report.tpotP90Ms)}`} sub={`simulated in ${duration(report.ms)} (${count(report.requestsPerS)} requests/s)`} />
          </div>
          <div className="two-col" style={{ marginTop: 12 }}>
            <TitledChart title="SLO attainment per interval" name="replay-attainment" csv={intervalsCsv} data={attainment} layout={attainmentLayout} label="SLO attainment over time, replayed against promised" testId="replay-attainment-chart" />
            <TitledChart title="Utilisation per deployment" name="replay-utilisation" csv={intervalsCsv} data={utilisation} layout={utilLayout} label="Utilisation over time per deployment, replayed against planned" testId="replay-utilisation-chart" />
            <TitledChart title="Sent to the API, overflowed or dropped" name="replay-overflow" csv={intervalsCsv} data={lost} layout={lostLayout} label="Requests sent to the API, overflowed and dropped per interval" testId="replay-overflow-chart" />
          </div>
        </>
      )}
    </Panel>
  );
}
