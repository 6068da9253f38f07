// Saved scenarios side by side: one row per metric, one column per scenario. A scenario's result is
// a what-if result or an allocation result; metrics a kind does not have stay empty.
import { EngineError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { getScenario } from '../store/scenarios';

type Value = number | string | null;

const metrics: [string, (r: Record<string, any>) => Value][] = [
  ['status', (r) => r.status ?? null],
  ['quality', (r) => r.quality ?? r.objective ?? null],
  ['quality bound', (r) => r.qualityBound ?? r.bound ?? null],
  ['traffic q/s', (r) => r.trafficQps ?? null],
  ['capacity q/s', (r) => (Number.isFinite(r.capacityQps) ? r.capacityQps : r.capacityQps == null ? null : 'unlimited')],
  ['headroom q/s', (r) => (Number.isFinite(r.headroomQps) ? r.headroomQps : r.headroomQps == null ? null : 'unlimited')],
  ['$/hour', (r) => r.hourlyCost ?? null],
  ['$/1k queries', (r) => r.costPer1k ?? null],
  ['binding', (r) => r.binding ?? null],
];

export function compareScenarios(db: Db, names: string[]): { names: string[]; rows: { metric: string; values: Value[] }[] } {
  const results = names.map((name) => {
    const s = getScenario(db, name);
    if (!s) throw new EngineError('NOT_FOUND', `no scenario named "${name}"`, { name });
    return (s.result ?? {}) as Record<string, any>;
  });
  const rows = metrics.map(([metric, get]) => ({ metric, values: results.map(get) }));
  // GPUs per type and utilisation per model, over the union of what the scenarios mention.
  const types = [...new Set(results.flatMap((r) => Object.keys(r.gpusUsed ?? {})))];
  for (const t of types) rows.push({ metric: `GPUs ${t}`, values: results.map((r) => r.gpusUsed?.[t] ?? null) });
  const models = [...new Set(results.flatMap((r) => (r.models ?? []).map((m: { model: string }) => m.model)))];
  for (const m of models) rows.push({ metric: `utilisation ${m}`, values: results.map((r) => (r.models ?? []).find((x: { model: string }) => x.model === m)?.utilisation ?? null) });
  return { names, rows };
}
