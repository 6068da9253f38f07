import type { Data } from 'plotly.js';
import type { FrontierRow } from '../../../../shared/contract/routing';
import { strategyLabel } from '../../format/glossary';

// Distinct, colour-blind-friendly hues (Okabe–Ito first, then Tableau) for up to a dozen strategies.
const colours = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#4E79A7', '#9C755F', '#B07AA1', '#76B7B2', '#FF9DA7'];

export function strategiesOf(rows: FrontierRow[]): string[] {
  return [...new Set(rows.filter((r) => r.kind === 'strategy' || r.kind === 'per-query').map((r) => r.strategy))];
}

export function budgetsOf(rows: FrontierRow[]): number[] {
  return [...new Set(rows.map((r) => r.budgetFraction).filter((b): b is number => b != null))].sort((a, b) => a - b);
}

/**
 * The cost–accuracy frontier: a line per strategy over its budgets (with the spread over seeds as
 * error bars), every single model as a labelled point, the oracle as a star, and rings on the
 * points at the chosen budget.
 */
export function frontierTraces(rows: FrontierRow[], budget: number | null, shown: Set<string>): Data[] {
  const traces: Data[] = [];
  strategiesOf(rows).forEach((s, i) => {
    if (!shown.has(s)) return;
    const pts = rows.filter((r) => r.strategy === s).sort((a, b) => a.costFraction - b.costFraction);
    traces.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: strategyLabel(s),
      x: pts.map((r) => r.costFraction),
      y: pts.map((r) => r.accuracy),
      error_y: { type: 'data', array: pts.map((r) => r.accuracyStd), visible: true, thickness: 1, width: 3 },
      customdata: pts.map((r) => [r.budgetFraction ?? NaN, r.withinBudgetShare ?? NaN]),
      hovertemplate: `<b>${strategyLabel(s)}</b><br>budget %{customdata[0]:.0%}<br>accuracy %{y:.1%}<br>cost %{x:.1%} of best model<br>within budget %{customdata[1]:.0%}<extra></extra>`,
      line: { color: colours[i % colours.length], width: 2 },
      marker: { size: 6, color: colours[i % colours.length] },
    });
  });
  const singles = rows.filter((r) => r.kind === 'single');
  // Labels only for the few most accurate models: the rest crowd the cheap corner; hover names them all.
  const labelled = new Set([...singles].sort((a, b) => b.accuracy - a.accuracy).slice(0, 3).map((r) => r.strategy));
  if (singles.length && shown.has('single models')) {
    traces.push({
      type: 'scatter',
      mode: 'text+markers',
      name: 'single models',
      x: singles.map((r) => r.costFraction),
      y: singles.map((r) => r.accuracy),
      text: singles.map((r) => (labelled.has(r.strategy) ? modelName(r.strategy) : '')),
      hovertext: singles.map((r) => modelName(r.strategy)),
      textposition: 'top center',
      textfont: { size: 10 },
      hovertemplate: '<b>%{hovertext}</b><br>accuracy %{y:.1%}<br>cost %{x:.1%} of best model<extra></extra>',
      marker: { size: 9, symbol: 'diamond', color: '#888' },
    });
  }
  const oracle = rows.filter((r) => r.kind === 'oracle');
  if (oracle.length && shown.has('oracle')) {
    traces.push({ type: 'scatter', mode: 'markers', name: 'oracle', x: oracle.map((r) => r.costFraction), y: oracle.map((r) => r.accuracy), marker: { size: 14, symbol: 'star', color: '#F0B400' }, hovertemplate: 'oracle<br>accuracy %{y:.1%}<br>cost %{x:.1%}<extra></extra>' });
  }
  if (budget != null) {
    const at = rows.filter((r) => r.budgetFraction === budget && shown.has(r.strategy));
    traces.push({ type: 'scatter', mode: 'markers', name: `at budget ${Math.round(budget * 100)} %`, x: at.map((r) => r.costFraction), y: at.map((r) => r.accuracy), marker: { size: 16, symbol: 'circle-open', color: '#e5484d', line: { width: 2 } }, hoverinfo: 'skip' });
  }
  return traces;
}

/** A single model's row name without the "single:" tag and the vendor prefix. */
export function modelName(strategy: string): string {
  const name = strategy.replace(/^single:/, '');
  return name.split('/').pop() ?? name;
}
