// Necessary conditions checked before any solve, so that an impossible plan comes back as a status
// naming the constraint that binds (never a crash, never a silent empty plan).
import { knapsackValue } from './bound';
import { depCount, type AllocProblem } from './problem';

export interface Infeasibility {
  binding: 'budget' | 'gpuBudget' | 'inventory' | 'hourlySpendCap' | 'rateLimit';
  message: string;
}

export function obviousInfeasibility(p: AllocProblem): Infeasibility | null {
  const { n, k } = p;
  const D = depCount(p);
  // Largest per-group capacity the inventory allows (each GPU type spent on its best capacity).
  let hostCap = 0;
  p.gpuTypes.forEach((g, t) => {
    const items = [...Array(D).keys()].filter((d) => p.dep.gpuType[d] === t);
    hostCap += knapsackValue(items.map((d) => p.dep.gpus[d]), items.map((d) => p.dep.capUnit[d]), g.count);
  });
  let apiCap = 0;
  let unlimitedApi = false;
  for (let j = 0; j < k; j++) {
    if (p.hosted[j]) continue;
    if (Number.isFinite(p.fixedCap[j])) apiCap += p.fixedCap[j];
    else unlimitedApi = true;
  }
  let largestGroup = 0;
  const sizes = new Int32Array(p.groupCount);
  for (let i = 0; i < n; i++) largestGroup = Math.max(largestGroup, ++sizes[p.groupOf[i]]);
  if (!unlimitedApi && Math.floor(hostCap + 1e-9) + apiCap < largestGroup) {
    if (D === 0) return { binding: 'rateLimit', message: `the API models' rate limits carry ${(apiCap / n) * 100}% of the traffic and no model is self-hosted` };
    const what = p.form === 'paper' ? `a GPU budget of ${p.gpuTypes[0].count}` : 'the GPU inventory';
    return {
      binding: p.form === 'paper' ? 'gpuBudget' : 'inventory',
      message: p.form === 'paper'
        ? `${what} gives at most ${Math.floor(hostCap)} slots per batch (plus ${apiCap} capped API slots); a batch has ${largestGroup} queries and no uncapped API model can take the rest`
        : `${what} sustains at most ${((hostCap / n) * (p.trafficQps ?? 0)).toFixed(2)} q/s at ${p.maxUtilisation * 100}% utilisation (plus ${((apiCap / n) * (p.trafficQps ?? 0)).toFixed(2)} q/s of API rate limits) against ${p.trafficQps} q/s of traffic`,
    };
  }
  if (p.knapsack) {
    const a = p.knapsack.coef;
    let cheapest = 0;
    for (let i = 0; i < n; i++) {
      let m = Infinity;
      for (let j = 0; j < k; j++) m = Math.min(m, a[i * k + j]);
      cheapest += m;
    }
    let cheapestInstance = Infinity;
    for (let d = 0; d < D; d++) cheapestInstance = Math.min(cheapestInstance, p.knapsack.perInstance[d]);
    const needsHosting = !unlimitedApi && apiCap < largestGroup;
    const floor = cheapest + (needsHosting && Number.isFinite(cheapestInstance) ? cheapestInstance : 0);
    if (floor > p.knapsack.rhs * (1 + 1e-9) + 1e-12) {
      const name = p.knapsack.name;
      return {
        binding: name,
        message: name === 'budget'
          ? `the budget ${p.knapsack.rhs} is below the cheapest possible assignment of the sample (${cheapest.toPrecision(4)})`
          : `the hourly spend cap ${p.knapsack.rhs} is below the cheapest way to serve the traffic (${floor.toPrecision(4)} USD/h${needsHosting ? ', including one GPU instance' : ''})`,
      };
    }
  }
  return null;
}
