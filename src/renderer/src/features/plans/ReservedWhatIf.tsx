import { useMemo, useRef } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { ApiError } from '../../api/client';
import { useJobs } from '../../app/jobs';
import { useSticky } from '../../app/sticky';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ExportButtons } from '../../components/ExportButtons';
import { ProgressBar } from '../../components/States';
import { percent, usd } from '../../format/units';
import { planInput, type PlanCreateResult, type PlanForm, type ReservedTerm } from './plan-form';

const terms: ReservedTerm[] = ['none', '1y', '3y'];
const termLabel = { none: 'on-demand only', '1y': '1-year reserved', '3y': '3-year reserved' } as const;

interface Comparison {
  /** The settings the comparison was run for (a changed form makes it stale). */
  key: string;
  jobs: Partial<Record<ReservedTerm, string>>;
}

/**
 * The same plan re-planned with no reservation, a 1-year and a 3-year term, side by side. The
 * current plan stands for its own term; the other two run one after the other (the machine's
 * cores are better spent on one plan at a time).
 */
export function ReservedWhatIf({ form, current }: { form: PlanForm; current: PlanCreateResult }) {
  const jobs = useJobs();
  const [cmp, setCmp] = useSticky<Comparison | null>('plans.reservedCmp', null);
  const chart = useRef<PlotHandle | null>(null);
  const key = JSON.stringify(planInput(form, 'none'));
  const fresh = cmp?.key === key ? cmp : null;
  const rows = terms.map((t) => {
    if (t === form.reservedTerm) return { term: t, state: 'done' as const, result: current, error: undefined, job: undefined };
    const job = fresh?.jobs[t] ? jobs.jobs.find((j) => j.jobId === fresh.jobs[t]) : undefined;
    return { term: t, state: job?.state, result: job?.state === 'done' ? (job.result as PlanCreateResult) : undefined, error: job?.error, job };
  });
  const running = rows.some((r) => r.state === 'running');

  const run = async () => {
    const started: Comparison = { key, jobs: {} };
    setCmp(started);
    for (const t of terms) {
      if (t === form.reservedTerm) continue;
      const r = jobs.start<PlanCreateResult>('plan.create', planInput(form, t, false), `Plan (${termLabel[t]})`);
      const id = await r.jobId.catch(() => null);
      if (!id) return;
      started.jobs = { ...started.jobs, [t]: id };
      setCmp({ ...started });
      const ok = await r.result.then(() => true, (e: ApiError) => e.code !== 'CANCELLED' && e.code !== 'INFEASIBLE');
      if (!ok) return;
    }
  };

  const done = rows.filter((r) => r.result);
  // Keyed by the finished plans' costs: the rows are rebuilt on every job event, the chart need not be.
  const data = useMemo<Data[]>(() => {
    const tiers = [
      ['reserved', '#0072B2'],
      ['onDemand', '#E69F00'],
      ['spot', '#009E73'],
      ['api', '#CC79A7'],
    ] as const;
    return tiers.map(([tier, color]) => ({ type: 'bar', name: tier === 'onDemand' ? 'on-demand' : tier, x: done.map((r) => termLabel[r.term]), y: done.map((r) => r.result!.plan.money.byTier[tier]), marker: { color }, hovertemplate: `%{x}<br>$%{y:,.0f}/month<extra>${tier}</extra>` }));
  }, [done.map((r) => r.result?.monthlyCost).join()]);
  const layout = useMemo<Partial<Layout>>(() => ({ barmode: 'stack', yaxis: { title: { text: 'USD per month' }, tickprefix: '$' }, margin: { l: 70, r: 16, t: 20, b: 40 } }), []);

  return (
    <div className="reserved-whatif" style={{ marginTop: 12 }}>
      <div className="row">
        <strong>Reserved vs on-demand</strong>
        <button onClick={() => void run()} disabled={running} data-testid="reserved-compare">
          Compare reserved terms
        </button>
        {running && <span className="small muted">re-planning with the other terms…</span>}
        {cmp && !fresh && <span className="small muted">settings changed since the last comparison</span>}
        {done.length > 1 && <ExportButtons name="plan-reserved-terms" csv={() => ({ header: ['term', 'usd_per_month', 'reserved', 'on_demand', 'spot', 'api', 'usd_per_1m_tokens', 'slo_attainment'], rows: done.map((r) => [r.term, r.result!.monthlyCost, r.result!.plan.money.byTier.reserved, r.result!.plan.money.byTier.onDemand, r.result!.plan.money.byTier.spot, r.result!.plan.money.byTier.api, r.result!.plan.money.perMillionTokens, r.result!.sloAttainment]) })} image={(f) => chart.current!.toImage(f)} />}
      </div>
      <div className="table-wrap">
        <table data-testid="reserved-table">
          <thead>
            <tr>
              <th scope="col">Term</th>
              <th className="num" scope="col">$/month</th>
              <th className="num" scope="col">vs on-demand</th>
              <th className="num" scope="col">Reserved</th>
              <th className="num" scope="col">On-demand</th>
              <th className="num" scope="col">$/1M tokens</th>
              <th className="num" scope="col">SLO attainment</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const base = rows[0].result?.monthlyCost;
              return (
                <tr key={r.term}>
                  <td>
                    {termLabel[r.term]}
                    {r.term === form.reservedTerm && <span className="badge">this plan</span>}
                  </td>
                  {r.result ? (
                    <>
                      <td className="num">{usd(r.result.monthlyCost)}</td>
                      <td className="num">{base ? `${r.result.monthlyCost >= base ? '+' : '−'}${percent(Math.abs(r.result.monthlyCost / base - 1))}` : '—'}</td>
                      <td className="num">{usd(r.result.plan.money.byTier.reserved)}</td>
                      <td className="num">{usd(r.result.plan.money.byTier.onDemand)}</td>
                      <td className="num">{usd(r.result.plan.money.perMillionTokens)}</td>
                      <td className="num">{percent(r.result.sloAttainment, 2)}</td>
                    </>
                  ) : (
                    <td colSpan={6} className="muted">
                      {r.state === 'running' ? <ProgressBar fraction={r.job?.progress?.fraction ?? 0} label={`Plan with ${termLabel[r.term]}`} /> : r.state === 'failed' ? 'failed' : r.state === 'cancelled' ? 'cancelled' : 'not planned yet'}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.map((r) => r.error && r.state === 'failed' && <ErrorNotice key={r.term} error={r.error} />)}
      {done.length > 1 && <Plot data={data} layout={layout} handle={chart} label="Monthly cost by reserved term" testId="reserved-chart" height={260} />}
    </div>
  );
}
