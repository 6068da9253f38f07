import { useEffect } from 'react';
import { useSticky } from '../app/sticky';

interface Identified {
  id: number;
}

/**
 * A choice among stored records (predictors, evaluations, policies), newest first. With
 * `unusable`, a record it gives a reason for stays listed but greyed, with the reason.
 */
export function RecordSelect<R extends Identified>({ records, value, onChange, describe, label, testId, unusable }: { records: R[]; value: number | null; onChange: (id: number) => void; describe: (r: R) => string; label: string; testId?: string; unusable?: (r: R) => string | null }) {
  return (
    <select value={value ?? ''} onChange={(e) => onChange(Number(e.target.value))} aria-label={label} data-testid={testId}>
      {[...records]
        .sort((a, b) => b.id - a.id)
        .map((r) => {
          const why = unusable?.(r) ?? null;
          return (
            <option key={r.id} value={r.id} disabled={why != null} title={why ?? undefined} data-compatible={why == null}>
              #{r.id} {describe(r)}
              {why ? ` — ${why}` : ''}
            </option>
          );
        })}
    </select>
  );
}

/**
 * The record a screen shows, kept across navigation; it moves to the newest record when the
 * current one disappears (deleted, other workspace), none was chosen yet, or a new record appears
 * (a training that just ended: its predictor is what a person wants to see next).
 */
export function useNewestSelection(key: string, records: Identified[] | undefined): [number | null, (id: number) => void] {
  const [selected, setSelected] = useSticky<number | null>(key, null);
  const [seen, setSeen] = useSticky<number | null>(`${key}.newestSeen`, null);
  useEffect(() => {
    if (!records?.length) return;
    const newest = Math.max(...records.map((r) => r.id));
    const appeared = seen != null && newest > seen;
    if (seen !== newest) setSeen(newest);
    if (appeared || selected == null || !records.some((r) => r.id === selected)) setSelected(newest);
  }, [records, selected, setSelected, seen, setSeen]);
  return [records?.length ? selected : null, setSelected];
}

/**
 * A form's choice of record: the remembered id while it exists, the newest otherwise, and the
 * newest again whenever a new record appears after the form last looked (a new predictor is the
 * one to evaluate or export). `seen` is kept in the form, so it survives restarts too.
 */
export function followNewest(ids: number[] | undefined, chosen: number | null | undefined, seen: number | null | undefined): { id: number | null; seen: number | null } {
  if (!ids?.length) return { id: null, seen: seen ?? null };
  const newest = Math.max(...ids);
  if (seen != null && newest > seen) return { id: newest, seen: newest };
  return { id: chosen != null && ids.includes(chosen) ? chosen : newest, seen: newest };
}
