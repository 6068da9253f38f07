import { useMemo, useRef, useState } from 'react';
import type { EvaluationResult, FrontierRow } from '../../../../shared/contract/routing';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { DataTable, type Column } from '../../components/DataTable';
import { ExportButtons } from '../../components/ExportButtons';
import { Panel } from '../../components/States';
import { count, percent, usd } from '../../format/units';
import { budgetsOf, frontierTraces, modelName, strategiesOf } from './frontier';

const tableColumns: Column<FrontierRow>[] = [
  { key: 'strategy', header: 'Strategy', value: (r) => r.strategy, render: (r) => (r.kind === 'single' ? modelName(r.strategy) : r.strategy) },
  { key: 'accuracy', header: 'Accuracy', numeric: true, value: (r) => r.accuracy, render: (r) => `${percent(r.accuracy)} ± ${percent(r.accuracyStd)}` },
  { key: 'vsBest', header: 'vs best', numeric: true, value: (r) => r.accuracyVsBest, render: (r) => percent(r.accuracyVsBest) },
  { key: 'cost', header: 'Cost', numeric: true, value: (r) => r.costFraction, render: (r) => percent(r.costFraction) },
  { key: 'within', header: 'In budget', numeric: true, value: (r) => r.withinBudgetShare, render: (r) => percent(r.withinBudgetShare, 0) },
];

const csvHeader = ['strategy', 'kind', 'budget_fraction', 'accuracy', 'accuracy_std', 'accuracy_vs_best', 'cost_fraction', 'cost_fraction_std', 'within_budget_share', 'seeds'];

/** Frontier chart with the table of the chosen budget beside it, a budget slider, and exports. */
export function FrontierPanel({ evaluation }: { evaluation: EvaluationResult }) {
  const rows = evaluation.rows;
  const budgets = useMemo(() => budgetsOf(rows), [rows]);
  const [budgetIndex, setBudgetIndex] = useState(() => Math.max(0, budgets.indexOf(0.3)));
  const budget = budgets[Math.min(budgetIndex, budgets.length - 1)] ?? null;
  const groups = useMemo(() => [...strategiesOf(rows), 'single models', 'oracle'], [rows]);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const shown = useMemo(() => new Set(groups.filter((g) => !hidden.has(g))), [groups, hidden]);
  const data = useMemo(() => frontierTraces(rows, budget, shown), [rows, budget, shown]);
  const layout = useMemo(
    () => ({ xaxis: { title: { text: 'cost, as a fraction of the best single model' }, tickformat: '.0%', rangemode: 'tozero' as const }, yaxis: { title: { text: 'accuracy' }, tickformat: '.0%' } }),
    [],
  );
  const chart = useRef<PlotHandle | null>(null);
  const atBudget = rows.filter((r) => r.budgetFraction === budget);
  const singles = rows.filter((r) => r.kind === 'single');
  const toggle = (g: string) => setHidden((h) => (h.has(g) ? new Set([...h].filter((x) => x !== g)) : new Set([...h, g])));

  return (
    <Panel
      title="Cost–accuracy frontier"
      id="frontier"
      actions={
        <ExportButtons
          name={`frontier-${evaluation.id ?? 'run'}`}
          csv={() => ({ header: csvHeader, rows: rows.map((r) => [r.strategy, r.kind, r.budgetFraction, r.accuracy, r.accuracyStd, r.accuracyVsBest, r.costFraction, r.costFractionStd, r.withinBudgetShare, r.seeds]) })}
          image={(f) => chart.current!.toImage(f)}
        />
      }
    >
      <p className="muted small">
        {count(evaluation.testQueries)} test queries · best single model {evaluation.bestModel} ({percent(evaluation.bestAccuracy)}, {usd(evaluation.bestCost)} per query) · batches of {evaluation.settings.batchSize}, {evaluation.settings.batching} batching · {evaluation.settings.seeds.length} seeds
      </p>
      <fieldset className="toggles">
        <legend className="small muted">Show</legend>
        {groups.map((g) => (
          <label key={g} className="check">
            <input type="checkbox" checked={shown.has(g)} onChange={() => toggle(g)} /> {g}
          </label>
        ))}
      </fieldset>
      <div className="chart-with-table">
        <Plot data={data} layout={layout} handle={chart} label="Cost–accuracy frontier of every strategy and single model" testId="frontier-chart" height={420} />
        <div>
          <label className="budget">
            <span>
              Budget: <strong data-testid="budget-value">{budget != null ? percent(budget, 0) : '—'}</strong> of the best model's cost
            </span>
            <input type="range" min={0} max={Math.max(0, budgets.length - 1)} step={1} value={Math.min(budgetIndex, budgets.length - 1)} onChange={(e) => setBudgetIndex(Number(e.target.value))} aria-valuetext={budget != null ? percent(budget, 0) : undefined} disabled={budgets.length < 2} />
          </label>
          <DataTable rows={atBudget} columns={tableColumns} rowKey={(r) => r.strategy} initialSort={{ key: 'accuracy', desc: true }} testId="frontier-table" caption={`Strategies at a budget of ${budget != null ? percent(budget, 0) : '—'}`} />
          {singles.length > 0 && (
            <details>
              <summary className="small">Single models ({singles.length})</summary>
              <DataTable rows={singles} columns={tableColumns.filter((c) => c.key !== 'within')} rowKey={(r) => r.strategy} initialSort={{ key: 'accuracy', desc: true }} />
            </details>
          )}
        </div>
      </div>
    </Panel>
  );
}
