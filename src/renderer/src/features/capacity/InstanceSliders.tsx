import { count, plural, queriesPerSecond } from '../../format/units';
import { deploymentKey, gpusUsed, maxInstances, own, type Counts, type WhatIfContextInfo } from './types';

/**
 * The inventory (owned + bought per GPU type) and one slider per deployment option; GPUs in use
 * are shown against what is available, over-use in red (the what-if then reports it infeasible).
 */
export function InstanceSliders({ ctx, counts, purchase, onCounts, onPurchase, onSaveInventory }: { ctx: WhatIfContextInfo; counts: Counts; purchase: Record<string, number>; onCounts: (c: Counts) => void; onPurchase: (p: Record<string, number>) => void; onSaveInventory?: () => void }) {
  const used = gpusUsed(ctx, counts);
  const pending = Object.values(purchase).some((v) => v);
  return (
    <div className="sliders">
      <table className="inventory-edit" data-testid="inventory-editor">
        <caption>GPU inventory for this plan</caption>
        <thead>
          <tr>
            <th scope="col">GPU type</th>
            <th className="num" scope="col">Owned</th>
            <th className="num" scope="col">Buy (+) / sell (−)</th>
            <th className="num" scope="col">In use</th>
            <th className="num" scope="col">Price</th>
          </tr>
        </thead>
        <tbody>
          {ctx.gpuTypes.map((g) => {
            const available = g.count + (own(purchase, g.name) ?? 0);
            return (
              <tr key={g.name}>
                <td>{g.name}</td>
                <td className="num">{count(g.count)}</td>
                <td className="num">
                  <input type="number" step={1} min={-g.count} value={own(purchase, g.name) ?? 0} onChange={(e) => onPurchase({ ...purchase, [g.name]: Math.trunc(Number(e.target.value)) })} aria-label={`${g.name} GPUs to buy`} className="narrow" />
                </td>
                <td className={`num${(used[g.name] ?? 0) > available ? ' error-text' : ''}`}>
                  {count(used[g.name] ?? 0)} / {count(available)}
                </td>
                <td className="num">${g.hourlyPrice.toFixed(2)}/h</td>
              </tr>
            );
          })}
        </tbody>
        {onSaveInventory && (
          <tfoot>
            <tr>
              <td colSpan={5}>
                <button onClick={onSaveInventory} disabled={!pending} data-testid="save-inventory" title="Write owned + bought counts to the workspace's GPU inventory">
                  Save to inventory
                </button>
              </td>
            </tr>
          </tfoot>
        )}
      </table>
      <div className="slider-list" data-testid="instance-sliders">
        {ctx.deployments.map((d) => {
          const key = deploymentKey(d);
          const max = Math.max(1, maxInstances(ctx, d, purchase));
          const value = counts[key] ?? 0;
          return (
            <label key={key} className="slider-row">
              <span className="slider-name">
                {d.model} <span className="muted small">on {d.gpuType} · {d.gpusPerInstance} GPU · {queriesPerSecond(d.qpsPerInstance)} each</span>
              </span>
              <input type="range" min={0} max={max} step={1} value={Math.min(value, max)} onChange={(e) => onCounts({ ...counts, [key]: Number(e.target.value) })} aria-label={`${d.model} instances on ${d.gpuType}`} aria-valuetext={plural(value, 'instance')} />
              <span className="num slider-value">{value}</span>
            </label>
          );
        })}
      </div>
    </div>
  );
}
