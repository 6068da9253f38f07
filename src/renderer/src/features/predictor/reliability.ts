import type { Data } from 'plotly.js';
import type { ReliabilityBinData } from '../../../../shared/contract/predictor';

/**
 * Reliability diagram: observed success rate against mean predicted probability per bin, before
 * and after calibration, with the diagonal of perfect calibration and the bin counts as bars.
 */
export function reliabilityTraces(before: ReliabilityBinData[], after: ReliabilityBinData[]): Data[] {
  const line = (bins: ReliabilityBinData[], name: string, color: string, dash?: 'dot'): Data => {
    const used = bins.filter((b) => b.count > 0 && b.meanPredicted != null && b.observedRate != null);
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x: used.map((b) => b.meanPredicted!),
      y: used.map((b) => b.observedRate!),
      customdata: used.map((b) => b.count),
      hovertemplate: `${name}<br>predicted %{x:.1%}<br>observed %{y:.1%}<br>%{customdata} pairs<extra></extra>`,
      line: { color, width: 2, dash },
      marker: { size: 7, color },
    };
  };
  return [
    { type: 'bar', name: 'pairs per bin (after)', x: after.map((b) => (b.lo + b.hi) / 2), y: after.map((b) => b.count), width: after.map((b) => (b.hi - b.lo) * 0.9), yaxis: 'y2', marker: { color: 'rgba(120,140,180,0.25)' }, hoverinfo: 'skip' },
    { type: 'scatter', mode: 'lines', name: 'perfect calibration', x: [0, 1], y: [0, 1], line: { color: '#999', dash: 'dash', width: 1 }, hoverinfo: 'skip' },
    line(before, 'before calibration', '#D55E00', 'dot'),
    line(after, 'after calibration', '#0072B2'),
  ];
}

export const reliabilityLayout = {
  xaxis: { title: { text: 'mean predicted probability' }, range: [0, 1], tickformat: '.0%' },
  yaxis: { title: { text: 'observed success rate' }, range: [0, 1], tickformat: '.0%' },
  yaxis2: { overlaying: 'y' as const, side: 'right' as const, showgrid: false, title: { text: 'pairs' }, rangemode: 'tozero' as const },
  margin: { l: 60, r: 60, t: 24, b: 50 },
};

/** Training curve: loss and validation loss, validation AUC on a second axis. */
export function historyTraces(history: { epoch: number; loss: number; valLoss?: number; valAuc?: number }[]): Data[] {
  const x = history.map((h) => h.epoch);
  const traces: Data[] = [{ type: 'scatter', mode: 'lines', name: 'loss', x, y: history.map((h) => h.loss), line: { color: '#0072B2' } }];
  if (history.some((h) => h.valLoss != null)) traces.push({ type: 'scatter', mode: 'lines', name: 'validation loss', x, y: history.map((h) => h.valLoss ?? null), line: { color: '#56B4E9', dash: 'dot' } });
  if (history.some((h) => h.valAuc != null)) traces.push({ type: 'scatter', mode: 'lines', name: 'validation AUC', x, y: history.map((h) => h.valAuc ?? null), yaxis: 'y2', line: { color: '#009E73' } });
  return traces;
}

export const historyLayout = {
  xaxis: { title: { text: 'epoch' }, dtick: 1 },
  yaxis: { title: { text: 'loss' } },
  yaxis2: { overlaying: 'y' as const, side: 'right' as const, showgrid: false, title: { text: 'AUC' } },
  margin: { l: 60, r: 60, t: 24, b: 50 },
};
