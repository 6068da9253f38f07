// Every strategy by name, for evaluation, the CLI and the contract.
import { batchMip, budgetMip } from './mip';
import { ndch, ndchP } from './ndch';
import { maxMin, robustGamma, robustQuantile } from './robust';
import { thresholdStrategy } from './threshold';
import { oracle } from './single';
import type { Strategy } from './types';

export type { RoutingContext, Strategy, ValidationStats } from './types';
export { singleModel, oracle } from './single';
export { perQueryAssignment, perQueryStrategy, costScale, perQueryShare } from './per-query';
import { perQueryShare } from './per-query';

/** Budgeted batch strategies (single models, the oracle and per-query are added by evaluation). */
export const strategyNames = ['threshold', 'ndch', 'ndch-p', 'mip', 'batch-mip', 'robust-quantile', 'robust-gamma', 'max-min', 'per-query-share'] as const;
export type StrategyName = (typeof strategyNames)[number];

export function strategyByName(name: StrategyName | 'oracle'): Strategy {
  switch (name) {
    case 'threshold':
      return thresholdStrategy();
    case 'ndch':
      return ndch;
    case 'ndch-p':
      return ndchP;
    case 'mip':
      return budgetMip;
    case 'batch-mip':
      return batchMip;
    case 'robust-quantile':
      return robustQuantile;
    case 'robust-gamma':
      return robustGamma();
    case 'max-min':
      return maxMin;
    case 'per-query-share':
      return perQueryShare;
    case 'oracle':
      return oracle;
  }
}
