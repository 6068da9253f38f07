import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { Config, Data, Layout } from 'plotly.js';
import { useEffectiveTheme } from '../app/theme';

type PlotlyModule = typeof import('plotly.js-dist-min');
let loading: Promise<PlotlyModule> | null = null;
/** plotly is large (about 4.9 MB): it loads on the first chart, not with the app. */
function loadPlotly(): Promise<PlotlyModule> {
  loading ??= import('plotly.js-dist-min').then((m) => ((m as unknown as { default?: PlotlyModule }).default ?? m) as PlotlyModule);
  return loading;
}

export interface PlotHandle {
  /** The chart as a data URL (PNG base64, SVG URI-encoded), at a print-friendly size. */
  toImage(format: 'png' | 'svg'): Promise<string>;
}

const palette = {
  light: { text: '#1b2330', muted: '#5b6676', grid: '#e3e7ee', line: '#c4ccd7' },
  dark: { text: '#e6eaf0', muted: '#9aa5b4', grid: '#2b3440', line: '#3a4552' },
};

/** The theme's colours on top of the chart's own layout. */
function themed(layout: Partial<Layout>, theme: 'light' | 'dark'): Partial<Layout> {
  const c = palette[theme];
  const axis = (a: Partial<Layout['xaxis']> | undefined) => ({ gridcolor: c.grid, linecolor: c.line, zerolinecolor: c.line, tickfont: { color: c.muted }, ...a, title: { font: { color: c.muted }, ...a?.title } });
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { family: 'system-ui, sans-serif', size: 12, color: c.text },
    margin: { l: 60, r: 16, t: 24, b: 50 },
    legend: { orientation: 'h', y: -0.2, font: { color: c.text } },
    hoverlabel: { font: { family: 'system-ui, sans-serif' } },
    ...layout,
    xaxis: axis(layout.xaxis),
    yaxis: axis(layout.yaxis),
  };
}

/** A plotly chart: Plotly.react on every change, Plotly.purge on unmount, colours from the theme. */
export function Plot({ data, layout, config, handle, label, testId, height = 380 }: { data: Data[]; layout: Partial<Layout>; config?: Partial<Config>; handle?: MutableRefObject<PlotHandle | null>; label: string; testId?: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const theme = useEffectiveTheme();
  const [plotly, setPlotly] = useState<PlotlyModule | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadPlotly().then((p) => live && setPlotly(p), (e) => live && setFailed(String(e)));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!plotly || !el.current) return;
    void plotly.react(el.current, data, { height, ...themed(layout, theme) }, { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['toImage', 'lasso2d', 'select2d'], ...config });
  }, [plotly, data, layout, config, theme, height]);

  useEffect(() => {
    const node = el.current;
    return () => {
      if (plotly && node) plotly.purge(node);
    };
  }, [plotly]);

  useEffect(() => {
    if (!handle) return;
    handle.current = {
      toImage: async (format) => {
        if (!plotly || !el.current) throw new Error('the chart is not drawn yet');
        return plotly.toImage(el.current, { format, width: 1200, height: Math.round((1200 * height) / Math.max(el.current.clientWidth, 1)) });
      },
    };
    return () => {
      handle.current = null;
    };
  }, [handle, plotly, height]);

  return (
    <figure className="chart-figure" aria-label={label}>
      {failed && <p className="error-text">The chart could not be drawn: {failed}</p>}
      {!plotly && !failed && <p className="muted small">Drawing chart…</p>}
      <div ref={el} className="chart" style={{ minHeight: height }} data-testid={testId} role="img" aria-label={label} />
    </figure>
  );
}
