import type { DatasetSummary } from '../../../shared/contract';
import type { Compatibility } from '../app/compatible';

/**
 * A labelled choice of dataset, newest first; `noneLabel` adds a "no particular one" option (value
 * null). With `compatible`, the others stay listed but greyed, each with its reason, and a line
 * below says why, so a person knows what to import or train instead of meeting an error later.
 */
export function DatasetSelect({ datasets, value, onChange, label, testId, noneLabel, describe = (d) => d.name, compatible }: { datasets: DatasetSummary[] | undefined; value: number | null; onChange: (id: number | null) => void; label: string; testId?: string; noneLabel?: string; describe?: (d: DatasetSummary) => string; compatible?: Compatibility<DatasetSummary> }) {
  const sorted = [...(datasets ?? [])].sort((a, b) => b.id - a.id);
  const greyed = compatible ? sorted.filter((d) => compatible(d) != null) : [];
  const none = datasets && greyed.length === sorted.length && sorted.length > 0;
  return (
    <label>
      <span className="small muted">{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)} data-testid={testId}>
        {noneLabel && <option value="">{noneLabel}</option>}
        {!noneLabel && value == null && <option value="">{none ? 'no compatible dataset' : '—'}</option>}
        {sorted.map((d) => {
          const why = compatible?.(d) ?? null;
          return (
            <option key={d.id} value={d.id} disabled={why != null} title={why ?? undefined} data-compatible={why == null}>
              {describe(d)}
              {why ? ` — ${why}` : ''}
            </option>
          );
        })}
      </select>
      {greyed.length > 0 && (
        <span className="small muted" data-testid={testId ? `${testId}-greyed` : undefined}>
          {none ? 'No dataset fits: ' : `${greyed.length === 1 ? '1 dataset is' : `${greyed.length} datasets are`} greyed: `}
          {greyed
            .slice(0, 3)
            .map((d) => `${d.name} ${compatible!(d)}`)
            .join('; ')}
          {greyed.length > 3 ? '; …' : ''}.
        </span>
      )}
    </label>
  );
}
