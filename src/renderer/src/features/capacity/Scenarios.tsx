import { useState } from 'react';
import type { WhatIfResult } from '../../../../shared/contract/allocation';
import { ApiError } from '../../api/client';
import { useClient } from '../../app/context';
import { useCall } from '../../app/use-call';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ExportButtons } from '../../components/ExportButtons';
import { Panel } from '../../components/States';
import type { PlanForm } from './PlanSettings';
import type { Counts } from './types';

export interface ScenarioInput {
  plan: PlanForm;
  counts: Counts;
  purchase: Record<string, number>;
}

/** Save the plan on screen as a named scenario, restore one, and compare several side by side. */
export function Scenarios({ current, result, onLoad }: { current: ScenarioInput; result: WhatIfResult | null; onLoad: (s: ScenarioInput) => void }) {
  const client = useClient();
  const list = useCall('scenarios.list', { kind: 'whatif' });
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [comparison, setComparison] = useState<{ names: string[]; rows: { metric: string; values: (number | string | null)[] }[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const guard = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const save = () =>
    guard(async () => {
      await client.call('scenarios.save', { name: name.trim(), kind: 'whatif', input: current, result: result ?? undefined });
      setName('');
      list.reload();
    });
  const compare = () => guard(async () => setComparison(await client.call('scenarios.compare', { names: picked })));
  const cell = (v: number | string | null) => (v == null ? '—' : typeof v === 'number' ? (Number.isInteger(v) || Math.abs(v) >= 10 ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : v.toFixed(3)) : v);

  return (
    <Panel title="Scenarios" id="scenarios">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) void save();
        }}
      >
        <label className="grow">
          <span className="small muted">Save this plan as</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. buy 8 H100" data-testid="scenario-name" />
        </label>
        <button type="submit" disabled={!name.trim()}>
          Save scenario
        </button>
      </form>
      {list.data && list.data.length > 0 && (
        <>
          <ul className="scenario-list" data-testid="scenario-list">
            {list.data.map((s) => (
              <li key={s.id}>
                <label className="check">
                  <input type="checkbox" checked={picked.includes(s.name)} onChange={() => setPicked((p) => (p.includes(s.name) ? p.filter((x) => x !== s.name) : [...p, s.name]))} /> {s.name}
                </label>
                <span className="small muted">{new Date(s.createdAt).toLocaleString()}</span>
                <button className="ghost small" onClick={() => onLoad(s.input as ScenarioInput)}>
                  Load
                </button>
                <button className="ghost small" onClick={() => guard(async () => (await client.call('scenarios.delete', { name: s.name }), list.reload()))} aria-label={`Delete scenario ${s.name}`}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
          <button onClick={() => void compare()} disabled={picked.length === 0}>
            Compare {picked.length > 0 ? picked.length : ''} side by side
          </button>
        </>
      )}
      {comparison && (
        <div className="table-wrap" style={{ marginTop: 10 }}>
          <div className="row">
            <ExportButtons name="scenario-comparison" csv={() => ({ header: ['metric', ...comparison.names], rows: comparison.rows.map((r) => [r.metric, ...r.values]) })} />
          </div>
          <table data-testid="scenario-comparison">
            <thead>
              <tr>
                <th scope="col">Metric</th>
                {comparison.names.map((n) => (
                  <th key={n} className="num" scope="col">
                    {n}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {comparison.rows.map((r) => (
                <tr key={r.metric}>
                  <td>{r.metric}</td>
                  {r.values.map((v, i) => (
                    <td key={i} className="num">
                      {cell(v)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
    </Panel>
  );
}
