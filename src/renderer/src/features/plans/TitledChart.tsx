import { useRef } from 'react';
import type { Data, Layout } from 'plotly.js';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { ExportButtons } from '../../components/ExportButtons';

type Cell = string | number | boolean | null | undefined;

/** A chart with its title and CSV/PNG/SVG export, for charts that share a panel. */
export function TitledChart({ title, name, csv, data, layout, label, testId, height = 300 }: { title: string; name: string; csv: () => { header: string[]; rows: Cell[][] }; data: Data[]; layout: Partial<Layout>; label: string; testId: string; height?: number }) {
  const chart = useRef<PlotHandle | null>(null);
  return (
    <figure className="chart-figure">
      <div className="row">
        <strong className="grow">{title}</strong>
        <ExportButtons name={name} csv={csv} image={(f) => chart.current!.toImage(f)} />
      </div>
      <Plot data={data} layout={layout} handle={chart} label={label} testId={testId} height={height} />
    </figure>
  );
}
