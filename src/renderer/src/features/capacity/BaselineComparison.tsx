import type { AllocationResult, DeploymentCount } from '../../../../shared/contract/allocation';
import { ExportButtons } from '../../components/ExportButtons';
import { Panel } from '../../components/States';
import { count, percent, usd, usdPerHour } from '../../format/units';
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

/**
 * What optimisation buys: the optimised plan beside the plans a planner would draw by hand on the
 * same inventory (a uniform split, everything on the best single model), with the deltas, and a
 * button that puts any of them on the sliders.
 */
export function BaselineComparison({ optimised, onLoad }: { optimised: AllocationResult; onLoad: (counts: Counts) => void }) {
  const rows: Row[] = [
    { key: 'optimised', label: 'Optimised plan', feasible: optimised.status !== 'infeasible', quality: optimised.objective, hourlyCost: optimised.hourlyCost ?? null, monthlyCost: optimised.monthlyCost ?? null, gpusUsed: optimised.gpusUsed, counts: toCounts(optimised.instances) },
    ...(optimised.baselines ?? []).map((b) => ({ key: b.name, label: b.label, feasible: b.feasible, quality: b.quality, hourlyCost: b.hourlyCost, monthlyCost: b.monthlyCost, gpusUsed: b.gpusUsed, counts: toCounts(b.instances), note: b.note })),
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
      actions={<ExportButtons name="baseline-comparison" csv={() => ({ header: ['plan', 'feasible', 'quality', 'hourly_cost_usd', 'monthly_cost_usd', 'gpus'], rows: rows.map((r) => [r.label, r.feasible, r.quality, r.hourlyCost, r.monthlyCost, gpuText(r.gpusUsed)]) })} />}
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
                    {!r.feasible && <span className="badge">infeasible</span>}
                    {r.note && <div className="small muted">{r.note}</div>}
                  </td>
                  <td className="num">{percent(r.quality)}</td>
                  <td className="num">{d.q}</td>
                  <td className="num">{usdPerHour(r.hourlyCost)}</td>
                  <td className="num">{d.h}</td>
                  <td className="num">{r.monthlyCost == null ? '—' : usd(r.monthlyCost)}</td>
                  <td>{gpuText(r.gpusUsed)}</td>
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
