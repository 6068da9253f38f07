import type { DemandRow } from '../store/demand';
import type { DemandSummary } from './types';

/** A stored demand as the contract shows it (pooled histograms stay inside). */
export function summaryOf(d: DemandRow): DemandSummary {
  const { lengths: _lengths, ...stats } = d.summary as DemandRow['summary'] & { lengths?: unknown };
  const labels = d.labels;
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    format: d.format,
    startIso: d.startIso,
    spanS: d.spanS,
    requests: d.requests,
    source: d.source,
    createdAt: d.createdAt,
    ...stats,
    ...(labels.models.length ? { models: labels.models } : {}),
    ...(labels.tasks.length ? { tasks: labels.tasks } : {}),
    ...(labels.tenants.length ? { tenants: labels.tenants } : {}),
  };
}
