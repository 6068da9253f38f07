import type { OutputOf } from '../../../../shared/contract';

export type WhatIfContextInfo = OutputOf<'whatif.prepare'>;
export type Deployment = WhatIfContextInfo['deployments'][number];

/** Instance count per deployment, keyed "model@gpuType". */
export type Counts = Record<string, number>;

/** A map's own value for a key (a GPU type or model may be called `constructor`: nothing inherited). */
export const own = <T>(map: Record<string, T>, key: string): T | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);

export const deploymentKey = (d: { model: string; gpuType: string }) => `${d.model}@${d.gpuType}`;

export function countsToRows(ctx: WhatIfContextInfo, counts: Counts) {
  return ctx.deployments.map((d) => ({ model: d.model, gpuType: d.gpuType, count: counts[deploymentKey(d)] ?? 0 }));
}

/** Most instances a deployment could have if it had its GPU type to itself (owned + bought). */
export function maxInstances(ctx: WhatIfContextInfo, d: Deployment, purchase: Record<string, number>): number {
  const g = ctx.gpuTypes.find((t) => t.name === d.gpuType);
  const gpus = Math.max(0, (g?.count ?? 0) + (own(purchase, d.gpuType) ?? 0));
  return Math.floor(gpus / d.gpusPerInstance);
}

/** GPUs the counts use per type. */
export function gpusUsed(ctx: WhatIfContextInfo, counts: Counts): Record<string, number> {
  const used: Record<string, number> = Object.create(null);
  for (const d of ctx.deployments) used[d.gpuType] = (used[d.gpuType] ?? 0) + (counts[deploymentKey(d)] ?? 0) * d.gpusPerInstance;
  return used;
}
