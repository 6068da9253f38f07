import { useMemo, useRef, useState } from 'react';
import type { EvaluationResult, FrontierRow } from '../../../../shared/contract/routing';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { DataTable, type Column } from '../../components/DataTable';
import { ExportButtons } from '../../components/ExportButtons';
import { Panel } from '../../components/States';
import { count, percent, plural, usd } from '../../format/units';
import { metricTerms, strategyHelp, strategyLabel } from '../../format/glossary';
import { budgetsOf, frontierTraces, modelName, strategiesOf } from './frontier';

/**
 * A row overspends when its realised cost, over all its batches, is above its budget. (Single
 * batches over theirs are common for every strategy that decides on estimated costs: the In budget
 * column shows how often; flagging them all would flag every row.)
 */
export function overspends(r: FrontierRow): boolean {
  if (r.budgetFraction == null) return false;
  return r.costFraction > r.budgetFraction * 1.005;
}

function StrategyCell({ r }: { r: FrontierRow }) {
  if (r.kind === 'single') return <span title={r.strategy.replace(/^single:/, '')}>{modelName(r.strategy)}</span>;
  return (
    <span title={strategyHelp(r.strategy)}>
      {strategyLabel(r.strategy)}
      {overspends(r) && (
        <span className="flag" data-testid="overspend-flag" title={`Realised cost ${percent(r.costFraction)} of the best model's against a budget of ${percent(r.budgetFraction, 0)}; ${percent(r.withinBudgetShare, 0)} of batches within budget`}>
          over budget
        </span>
      )}
    </span>
  );
}

const tableColumns: Column<FrontierRow>[] = [
  { key: 'strategy', header: 'Strategy', value: (r) => strategyLabel(r.strategy), render: (r) => <StrategyCell r={r} /> },
  { key: 'accuracy', header: 'Accuracy', numeric: true, help: metricTerms.accuracy.help, value: (r) => r.accuracy, render: (r) => `${percent(r.accuracy)} ± ${percent(r.accuracyStd)}` },
  { key: 'vsBest', header: 'vs best', numeric: true, help: metricTerms.vsBest.help, value: (r) => r.accuracyVsBest, render: (r) => percent(r.accuracyVsBest) },
  { key: 'cost', header: 'Cost', numeric: true, help: metricTerms.costFraction.help, value: (r) => r.costFraction, render: (r) => percent(r.costFraction) },
  { key: 'within', header: 'In budget', numeric: true, help: metricTerms.withinBudget.help, value: (r) => r.withinBudgetShare, render: (r) => percent(r.withinBudgetShare, 0) },
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
  // The engine's bestCost is the best model's total over the test set (evaluation/protocol.ts).
  const perQuery = evaluation.testQueries > 0 ? evaluation.bestCost / evaluation.testQueries : NaN;
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
      <p className="muted small" data-testid="evaluation-summary">
        {plural(evaluation.testQueries, 'test query', 'test queries')} · best single model {evaluation.bestModel} ({percent(evaluation.bestAccuracy)};{' '}
        <span data-testid="best-cost-per-query">{usd(perQuery)} per query</span>, {usd(perQuery * 1000)} per 1k queries, {usd(evaluation.bestCost)} for all {count(evaluation.testQueries)}) · batches of {evaluation.settings.batchSize}, {evaluation.settings.batching} batching ·{' '}
        {plural(evaluation.settings.seeds.length, 'seed')}
      </p>
      <fieldset className="toggles">
        <legend className="small muted">Show</legend>
        {groups.map((g) => (
          <label key={g} className="check" title={strategyHelp(g)}>
            <input type="checkbox" checked={shown.has(g)} onChange={() => toggle(g)} /> {strategyLabel(g)}
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
