import type { AllocationResult, DeploymentCount } from '../../../../shared/contract/allocation';
import { ExportButtons } from '../../components/ExportButtons';
import { Panel } from '../../components/States';
import { InfoTip } from '../../components/InfoTip';
import { solverTerms } from '../../format/glossary';
import { count, duration, percent, usd, usdPerHour } from '../../format/units';
import { deploymentKey, type Counts } from './types';

interface Row {
  key: string;
  label: string;
  feasible: boolean;
  quality: number | null;
  hourlyCost: number | null;
  monthlyCost: number | null;
  gpusUsed: Record<string, number>;
  counts: Counts | null;
  note?: string;
  overCap?: boolean;
  busiest?: AllocationResult['busiest'];
}

/** Extended-form instances as slider counts; the paper form (per model) has no sliders to load. */
function toCounts(instances: AllocationResult['instances']): Counts | null {
  if (!instances.length || typeof instances[0] !== 'object' || instances[0] === null) return null;
  return Object.fromEntries((instances as DeploymentCount[]).map((d) => [deploymentKey(d), d.count]));
}

const gpuText = (g: Record<string, number>) =>
  Object.entries(g)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${count(n)} ${t}`)
    .join(' · ') || 'none';
const signed = (x: number, fmt: (v: number) => string) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${fmt(Math.abs(x))}`;
/** The busiest model's p90s: where a plan's latency is worst (null figures: no performance model). */
const p90Text = (b: AllocationResult['busiest']) => (b ? (b.ttftP90Ms != null ? `${duration(b.ttftP90Ms)} · ${duration(b.tpotP90Ms)}` : '—') : '—');

/**
 * What optimisation buys: the optimised plan beside the plans a planner would draw by hand on the
 * same inventory (a uniform split, everything on the best single model), with the deltas, and a
 * button that puts any of them on the sliders.
 */
export function BaselineComparison({ optimised, onLoad }: { optimised: AllocationResult; onLoad: (counts: Counts) => void }) {
  const rows: Row[] = [
    { key: 'optimised', label: 'Optimised plan', feasible: optimised.status !== 'infeasible', quality: optimised.objective, hourlyCost: optimised.hourlyCost ?? null, monthlyCost: optimised.monthlyCost ?? null, gpusUsed: optimised.gpusUsed, counts: toCounts(optimised.instances), busiest: optimised.busiest },
    ...(optimised.baselines ?? []).map((b) => ({ key: b.name, label: b.label, feasible: b.feasible, quality: b.quality, hourlyCost: b.hourlyCost, monthlyCost: b.monthlyCost, gpusUsed: b.gpusUsed, counts: toCounts(b.instances), note: b.note, overCap: b.overCap, busiest: b.busiest })),
  ];
  const best = rows[0];
  const delta = (r: Row) => {
    if (r === best) return { q: '', h: '' };
    const q = r.quality != null && best.quality != null ? signed((r.quality - best.quality) * 100, (v) => `${v.toFixed(2)} pts`) : '—';
    const h = r.hourlyCost != null && best.hourlyCost != null ? signed(r.hourlyCost - best.hourlyCost, (v) => usdPerHour(v)) : '—';
    return { q, h };
  };
  return (
    <Panel
      title="What optimisation buys"
      id="baselines"
      actions={<ExportButtons name="baseline-comparison" csv={() => ({ header: ['plan', 'feasible', 'over_cap', 'quality', 'hourly_cost_usd', 'monthly_cost_usd', 'gpus', 'busiest_model', 'ttft_p90_ms', 'tpot_p90_ms'], rows: rows.map((r) => [r.label, r.feasible, r.overCap ?? false, r.quality, r.hourlyCost, r.monthlyCost, gpuText(r.gpusUsed), r.busiest?.model ?? null, r.busiest?.ttftP90Ms ?? null, r.busiest?.tpotP90Ms ?? null]) })} />}
    >
      <div className="table-wrap">
        <table data-testid="baseline-table">
          <caption className="small muted">Baselines use the same inventory and traffic and are valued the same way; deltas are against the optimised plan.</caption>
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th className="num" scope="col">Quality</th>
              <th className="num" scope="col">Δ quality</th>
              <th className="num" scope="col">$/h</th>
              <th className="num" scope="col">Δ $/h</th>
              <th className="num" scope="col">$/month</th>
              <th scope="col">GPUs by type</th>
              <th className="num" scope="col" title="p90 time to first token · time per output token of one instance of the plan's busiest self-hosted model">
                p90 TTFT · TPOT (busiest)
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const d = delta(r);
              return (
                <tr key={r.key} data-plan={r.key}>
                  <td>
                    {r.label}
                    {r.key === 'uniform' && <InfoTip text={solverTerms.uniform.help} label={solverTerms.uniform.label} />}
                    {!r.feasible && <span className="badge">infeasible</span>}
                    {r.overCap && (
                      <span className="badge" data-testid="over-cap">
                        over the cap
                      </span>
                    )}
                    {r.note && <div className="small muted">{r.note}</div>}
                  </td>
                  <td className="num">{percent(r.quality)}</td>
                  <td className="num">{d.q}</td>
                  <td className="num">{usdPerHour(r.hourlyCost)}</td>
                  <td className="num">{d.h}</td>
                  <td className="num">{r.monthlyCost == null ? '—' : usd(r.monthlyCost)}</td>
                  <td>{gpuText(r.gpusUsed)}</td>
                  <td className="num" data-testid="baseline-p90" title={r.busiest ? `${r.busiest.model} at ${percent(r.busiest.utilisation)} utilisation` : undefined}>
                    {p90Text(r.busiest)}
                    {r.busiest && <div className="small muted">{r.busiest.model}</div>}
                  </td>
                  <td>
                    <button className="small" disabled={!r.counts} onClick={() => r.counts && onLoad(r.counts)} aria-label={`Load ${r.label} onto the sliders`}>
                      Load onto sliders
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

/** The optimiser's headline, with an honest status word: "Optimal" only within the requested gap. */
export function optimisedSummary(r: AllocationResult): string {
  if (r.status === 'infeasible') return `No feasible plan${r.binding ? ` (${r.binding})` : ''}${r.message ? `: ${r.message}` : ''}`;
  const head = r.status === 'optimal' ? `Optimal plan: quality ${percent(r.objective)} (gap ${percent(r.gap, 2)}, ${r.solver})` : `Best plan found, gap ${percent(r.gap, 2)}: quality ${percent(r.objective)} (${r.status === 'timeout' ? 'time limit reached, ' : ''}${r.solver})`;
  return head;
}

/**
 * What a baseline gives up against the plan, in quality and in money: "uniform split … 82.7 %
 * (−0.00 pts, +$71.20/h)" shows a gain that is cost, not quality.
 */
export function baselineDelta(r: AllocationResult, b: { label: string; quality: number | null; hourlyCost: number | null; overCap?: boolean }): string {
  const q = r.objective != null && b.quality != null ? signed((b.quality - r.objective) * 100, (v) => `${v.toFixed(2)} pts`) : null;
  const h = r.hourlyCost != null && b.hourlyCost != null ? signed(b.hourlyCost - r.hourlyCost, (v) => usdPerHour(v)) : null;
  return `${b.label} ${percent(b.quality)}${b.hourlyCost != null ? ` at ${usdPerHour(b.hourlyCost)}` : ''} (${[q, h].filter(Boolean).join(', ') || 'no figures'}${b.overCap ? ', over the cap' : ''})`;
}

/** The summary under Optimise: the status word, gap and bound with their explanations, and each baseline's deltas. */
export function OptimiseSummary({ r }: { r: AllocationResult }) {
  if (r.status === 'infeasible') return <>{optimisedSummary(r)}</>;
  const word = r.status === 'optimal' ? solverTerms.optimal : solverTerms.feasible;
  const baselines = r.baselines ?? (r.uniform ? [{ label: solverTerms.uniform.label, quality: r.uniform.objective, hourlyCost: null }] : []);
  return (
    <>
      {r.status === 'optimal' ? 'Optimal plan' : 'Best plan found'}
      <InfoTip text={word.help} label={word.label} />: quality {percent(r.objective)} ({r.status === 'timeout' ? 'time limit reached, ' : ''}gap {percent(r.gap, 2)}
      <InfoTip text={solverTerms.gap.help} label={solverTerms.gap.label} />
      {r.bound != null && (
        <>
          , bound {percent(r.bound)}
          <InfoTip text={solverTerms.bound.help} label={solverTerms.bound.label} />
        </>
      )}
      , {r.solver}
      {r.hourlyCost != null && `, ${usdPerHour(r.hourlyCost)}`})
      {baselines.map((b) => (
        <span key={b.label} data-testid="summary-baseline">
          {' · '}
          {baselineDelta(r, b)}
        </span>
      ))}
    </>
  );
}
