import { useEffect } from 'react';
import { useSticky } from '../app/sticky';

interface Identified {
  id: number;
}

/** A choice among stored records (predictors, evaluations, policies), newest first. */
export function RecordSelect<R extends Identified>({ records, value, onChange, describe, label, testId }: { records: R[]; value: number | null; onChange: (id: number) => void; describe: (r: R) => string; label: string; testId?: string }) {
  return (
    <select value={value ?? ''} onChange={(e) => onChange(Number(e.target.value))} aria-label={label} data-testid={testId}>
      {[...records]
        .sort((a, b) => b.id - a.id)
        .map((r) => (
          <option key={r.id} value={r.id}>
            #{r.id} {describe(r)}
          </option>
        ))}
    </select>
  );
}

/**
 * The record a screen shows, kept across navigation; it moves to the newest record when the
 * current one disappears (deleted, other workspace) or none was chosen yet.
 */
export function useNewestSelection(key: string, records: Identified[] | undefined): [number | null, (id: number) => void] {
  const [selected, setSelected] = useSticky<number | null>(key, null);
  useEffect(() => {
    if (records?.length && (selected == null || !records.some((r) => r.id === selected))) setSelected(Math.max(...records.map((r) => r.id)));
  }, [records, selected, setSelected]);
  return [records?.length ? selected : null, setSelected];
}
