import type { CurvePoint } from '../../../../shared/contract/performance';

/** Linear interpolation of a curve's latencies at an output throughput (clamped to the curve's ends). */
export function latencyAt(points: CurvePoint[], outputTokensPerS: number): { ttftP90Ms: number; tpotP90Ms: number } | null {
  if (!points.length) return null;
  const sorted = [...points].sort((a, b) => a.outputTokensPerS - b.outputTokensPerS);
  if (outputTokensPerS <= sorted[0].outputTokensPerS) return { ttftP90Ms: sorted[0].ttftP90Ms, tpotP90Ms: sorted[0].tpotP90Ms };
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (outputTokensPerS <= b.outputTokensPerS) {
      const w = b.outputTokensPerS === a.outputTokensPerS ? 1 : (outputTokensPerS - a.outputTokensPerS) / (b.outputTokensPerS - a.outputTokensPerS);
      return { ttftP90Ms: a.ttftP90Ms + w * (b.ttftP90Ms - a.ttftP90Ms), tpotP90Ms: a.tpotP90Ms + w * (b.tpotP90Ms - a.tpotP90Ms) };
    }
  }
  const last = sorted[sorted.length - 1];
  return { ttftP90Ms: last.ttftP90Ms, tpotP90Ms: last.tpotP90Ms };
}

/**
 * Requests/s one instance of a deployment carries under the what-if: the model's arrivals split
 * over its deployments in proportion to their capacity (instances x goodput), as the router does.
 */
export function perInstanceRate(modelArrivalsQps: number, deployments: { qpsPerInstance: number; instances: number }[], index: number): number {
  const capacity = deployments.reduce((a, d) => a + d.instances * d.qpsPerInstance, 0);
  const d = deployments[index];
  if (!capacity || !d.instances) return 0;
  return (modelArrivalsQps * d.qpsPerInstance) / capacity;
}

/** Loose name match between a catalog deployment and a measurement ("H100-80GB" ~ "H100-SXM"? no; "h100sxm" ~ "H100-SXM": yes). */
export const sameName = (a: string, b: string) => {
  const n = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const x = n(a);
  const y = n(b);
  return x === y || (x.length > 3 && y.length > 3 && (x.includes(y) || y.includes(x)));
};
