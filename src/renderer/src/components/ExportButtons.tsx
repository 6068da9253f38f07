import { useState } from 'react';
import { useClient } from '../app/context';
import { toCsv } from '../format/csv';

type Cell = string | number | boolean | null | undefined;

/**
 * Export a chart as PNG/SVG (through the given image function) and its data as CSV: a save dialog
 * on the desktop, a download in the browser.
 */
export function ExportButtons({ name, csv, image }: { name: string; csv?: () => { header: string[]; rows: Cell[][] }; image?: (format: 'png' | 'svg') => Promise<string> }) {
  const client = useClient();
  const [status, setStatus] = useState<string | null>(null);
  const safe = name.replace(/[^\w.-]+/g, '_');
  const save = async (fn: () => Promise<string | null>) => {
    try {
      const where = await fn();
      setStatus(where ? `saved ${where.split(/[\\/]/).pop()}` : null);
    } catch (e) {
      setStatus(`export failed: ${(e as Error).message}`);
    }
  };
  return (
    <span className="export-buttons">
      {csv && (
        <button className="small" onClick={() => save(async () => {
          const t = csv();
          return client.saveExport(`${safe}.csv`, toCsv(t.header, t.rows), 'utf8', 'text/csv');
        })}>
          CSV
        </button>
      )}
      {image && (
        <>
          <button className="small" onClick={() => save(async () => client.saveExport(`${safe}.png`, dataUrlPayload(await image('png')), 'base64', 'image/png'))}>
            PNG
          </button>
          <button className="small" onClick={() => save(async () => client.saveExport(`${safe}.svg`, svgText(await image('svg')), 'utf8', 'image/svg+xml'))}>
            SVG
          </button>
        </>
      )}
      {status && <span className="small muted" role="status">{status}</span>}
    </span>
  );
}

/** Plotly's toImage answers data URLs: base64 for PNG, URI-encoded text for SVG. */
function dataUrlPayload(url: string): string {
  return url.slice(url.indexOf(',') + 1);
}

function svgText(url: string): string {
  const payload = dataUrlPayload(url);
  return url.includes(';base64,') ? atob(payload) : decodeURIComponent(payload);
}
