import { useState } from 'react';
import { ApiError } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { plural } from '../../format/units';

export interface EditField<R> {
  key: keyof R & string;
  header: string;
  /** Empty input means null (e.g. an API model has no GPU profile). */
  nullable?: boolean;
  text?: boolean;
}

/**
 * Edits rows of a stored table in place: every field an input, Save sends the changed rows (the
 * engine checks them as it checks an imported file and refuses all or nothing), Undo sends the
 * rows as they were before the last save.
 */
export function RowEditor<R extends object>({ rows, fields, rowKey, keyHeader, save, testId, onDone }: { rows: R[]; fields: EditField<R>[]; rowKey: (r: R) => string; keyHeader: string; save: (changed: R[]) => Promise<unknown>; testId: string; onDone: () => void }) {
  const [draft, setDraft] = useState<R[]>(rows);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const changed = draft.filter((d, i) => fields.some((f) => d[f.key] !== rows[i]?.[f.key]));
  const set = (i: number, f: EditField<R>, raw: string) =>
    setDraft((prev) => prev.map((r, j) => (j === i ? { ...r, [f.key]: f.text ? (raw.trim() === '' && f.nullable ? null : raw) : raw.trim() === '' ? (f.nullable ? null : Number.NaN) : Number(raw) } : r)));
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await save(changed);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('INTERNAL', String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid={testId}>
      <div className="table-wrap row-editor">
        <table>
          <thead>
            <tr>
              <th scope="col">{keyHeader}</th>
              {fields.map((f) => (
                <th key={f.key} scope="col" className={f.text ? undefined : 'num'}>
                  {f.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {draft.map((r, i) => (
              <tr key={rowKey(r)}>
                <th scope="row" className="small">
                  {rowKey(r)}
                </th>
                {fields.map((f) => {
                  const v = r[f.key] as unknown;
                  return (
                    <td key={f.key} className={f.text ? undefined : 'num'}>
                      <input className={f.text ? undefined : 'narrow'} type={f.text ? 'text' : 'number'} step="any" value={v == null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v)} onChange={(e) => set(i, f, e.target.value)} aria-label={`${f.header} of ${rowKey(r)}`} data-field={f.key} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row" style={{ marginTop: 8 }}>
        <button className="primary" disabled={busy || changed.length === 0} onClick={() => void submit()} data-testid={`${testId}-save`}>
          Save {changed.length ? plural(changed.length, 'changed row') : ''}
        </button>
        <button className="ghost" onClick={onDone} disabled={busy}>
          Cancel
        </button>
      </div>
      {error && <ErrorNotice error={error} edit onDismiss={() => setError(null)} />}
    </div>
  );
}
