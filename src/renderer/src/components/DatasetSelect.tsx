import type { DatasetSummary } from '../../../shared/contract';

/** A labelled choice of dataset; `noneLabel` adds a "no particular one" option (value null). */
export function DatasetSelect({ datasets, value, onChange, label, testId, noneLabel, describe = (d) => d.name }: { datasets: DatasetSummary[] | undefined; value: number | null; onChange: (id: number | null) => void; label: string; testId?: string; noneLabel?: string; describe?: (d: DatasetSummary) => string }) {
  return (
    <label>
      <span className="small muted">{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)} data-testid={testId}>
        {noneLabel && <option value="">{noneLabel}</option>}
        {datasets?.map((d) => (
          <option key={d.id} value={d.id}>
            {describe(d)}
          </option>
        ))}
      </select>
    </label>
  );
}
