import { useMemo, useState, type ReactNode } from 'react';
import { InfoTip } from './InfoTip';

export interface Column<R> {
  key: string;
  header: string;
  /** Sort value; columns without one are not sortable. */
  value?: (row: R) => number | string | null;
  render: (row: R) => ReactNode;
  numeric?: boolean;
  /** What the column means (hover and an info marker in the header). */
  help?: string;
}

/** A table with keyboard-sortable headers; missing values sort last either way. */
export function DataTable<R>({ rows, columns, rowKey, caption, initialSort, testId }: { rows: R[]; columns: Column<R>[]; rowKey: (r: R) => string | number; caption?: string; initialSort?: { key: string; desc?: boolean }; testId?: string }) {
  const [sort, setSort] = useState(initialSort ?? null);
  const sorted = useMemo(() => {
    const col = sort && columns.find((c) => c.key === sort.key);
    if (!col?.value) return rows;
    const v = col.value;
    return [...rows].sort((a, b) => {
      const x = v(a);
      const y = v(b);
      if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
      const c = x < y ? -1 : x > y ? 1 : 0;
      return sort!.desc ? -c : c;
    });
  }, [rows, columns, sort]);
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.numeric ? 'num' : undefined} aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined} scope="col" title={c.help}>
                {c.value ? (
                  <button className="sort" onClick={() => setSort((s) => ({ key: c.key, desc: s?.key === c.key ? !s.desc : c.numeric }))}>
                    {c.header}
                    <span aria-hidden="true">{sort?.key === c.key ? (sort.desc ? ' ▾' : ' ▴') : ''}</span>
                  </button>
                ) : (
                  c.header
                )}
                {c.help && <InfoTip text={c.help} label={c.header} />}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
