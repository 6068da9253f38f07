import { useMemo, useRef, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { PlanFile } from '../../../../shared/contract/planning';
import { useCall } from '../../app/use-call';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ExportButtons } from '../../components/ExportButtons';
import { Panel } from '../../components/States';
import { modelSeries, peaksPerWindow } from './plan-series';

const colours = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
type Window = '24h' | '7d';

/**
 * Arrivals per interval against the capacity the plan holds per model (instances x goodput): the
 * demand's own rate at a finer grain (5 min over 24 h), each model's planned arrivals and capacity
 * per plan interval, and each day's peak marked.
 */
export function DemandView({ plan, demandId, scale }: { plan: PlanFile; demandId?: number; scale?: number }) {
  const [window, setWindow] = useState<Window>('24h');
  const chart = useRef<PlotHandle | null>(null);
  const horizonS = plan.intervals.length * plan.intervalS;
  const toS = window === '24h' ? Math.min(86400, horizonS) : Math.min(7 * 86400, horizonS);
  const grain = window === '24h' ? Math.min(300, plan.intervalS) : plan.intervalS;
  const demand = useCall('demand.show', { ...(demandId != null ? { id: demandId } : {}), intervalS: grain, scale: scale ?? 1, fromS: 0, toS });
  const series = useMemo(() => modelSeries(plan), [plan]);
  const upto = Math.ceil(toS / plan.intervalS);
  const { data, csv } = useMemo(() => {
    const hours = (s: number) => s / 3600;
    const planX = Array.from({ length: upto + 1 }, (_, t) => hours(t * plan.intervalS));
    const traces: Data[] = [];
    const iv = demand.data?.intervals;
    if (iv) {
      const x = iv.startS.map(hours);
      traces.push({ type: 'scatter', mode: 'lines', name: 'arrivals, all models', x, y: iv.rate, line: { color: '#7f8793', width: 1 }, hovertemplate: '%{x:.2f} h<br>%{y:.2f} req/s<extra>arrivals</extra>' });
      const peaks = peaksPerWindow(iv.rate, Math.round(86400 / iv.intervalS));
      traces.push({ type: 'scatter', mode: 'text+markers', name: 'daily peak', x: peaks.map((i) => x[i]), y: peaks.map((i) => iv.rate[i]), text: peaks.map((i) => `peak ${iv.rate[i].toFixed(1)}`), textposition: 'top center', marker: { symbol: 'triangle-down', size: 10, color: '#b10026' }, hovertemplate: 'peak %{y:.2f} req/s at %{x:.2f} h<extra></extra>' });
    }
    series.forEach((s, k) => {
      const c = colours[k % colours.length];
      // Step lines: a plan interval's figures hold for its whole length (the last point repeats).
      const step = (a: Float64Array) => [...a.slice(0, upto), a[Math.min(upto, a.length) - 1]];
      traces.push({ type: 'scatter', mode: 'lines', name: `${s.model} capacity`, x: planX, y: step(s.capacity), line: { color: c, width: 2, shape: 'hv' }, hovertemplate: `%{x:.1f} h<br>%{y:.2f} req/s<extra>${s.model} capacity</extra>` });
      traces.push({ type: 'scatter', mode: 'lines', name: `${s.model} arrivals`, x: planX, y: step(s.arrivals), line: { color: c, width: 1.5, dash: 'dot', shape: 'hv' }, hovertemplate: `%{x:.1f} h<br>%{y:.2f} req/s<extra>${s.model} arrivals</extra>` });
    });
    const csv = () => ({
      header: ['interval', 'start_h', ...series.flatMap((s) => [`${s.model}_arrivals_rps`, `${s.model}_capacity_rps`]), 'demand_rps'],
      rows: plan.intervals.slice(0, upto).map((p, t) => [t, hours(t * plan.intervalS), ...series.flatMap((s) => [s.arrivals[t], s.capacity[t]]), p.demandRate]),
    });
    return { data: traces, csv };
  }, [demand.data, series, plan, upto]);
  const layout = useMemo<Partial<Layout>>(() => ({ xaxis: { title: { text: 'hours from the demand’s start' }, dtick: window === '24h' ? 3 : 24 }, yaxis: { title: { text: 'requests/s' }, rangemode: 'tozero' }, margin: { l: 60, r: 16, t: 20, b: 50 } }), [window]);
  return (
    <Panel title="Demand and planned capacity" id="plans-demand-view" actions={<ExportButtons name={`plan-demand-${window}`} csv={csv} image={(f) => chart.current!.toImage(f)} />}>
      <div className="row" role="radiogroup" aria-label="Window">
        {(['24h', '7d'] as const).map((w) => (
          <label key={w} className="check">
            <input type="radio" name="plans-window" checked={window === w} onChange={() => setWindow(w)} data-testid={`window-${w}`} /> {w === '24h' ? 'first 24 h (5-min arrivals)' : 'first 7 days'}
          </label>
        ))}
      </div>
      {demand.error && <ErrorNotice error={demand.error} />}
      <Plot data={data} layout={layout} handle={chart} label="Arrivals per interval against planned capacity per model" testId="plan-demand-chart" />
      <p className="small muted">Capacity = instances × goodput per instance at the SLO; dotted lines are the arrivals the plan routes to each model. Planned load stays below capacity by the utilisation ceiling, and each interval is sized for its busiest stretch.</p>
    </Panel>
  );
}
