import { describe, expect, it } from 'vitest';
import { StrategyName } from '../../src/shared/contract/routing';
import { StrategyName as PolicyStrategyName } from '../../src/main/engine/policy/format';
import { policyStrategyTerms, strategyHelp, strategyLabel, strategyTerms } from '../../src/renderer/src/format/glossary';
import { overspends } from '../../src/renderer/src/features/routing/FrontierPanel';
import { plural, usdPerMonth } from '../../src/renderer/src/format/units';
import type { FrontierRow } from '../../src/shared/contract/routing';

describe('one vocabulary on every screen', () => {
  it('names and explains every strategy the engine can run or export', () => {
    for (const s of StrategyName.options) {
      expect(strategyTerms[s], s).toBeDefined();
      expect(strategyLabel(s)).not.toBe(s);
      expect(strategyHelp(s)!.length).toBeGreaterThan(40);
    }
    for (const s of PolicyStrategyName.options) expect(policyStrategyTerms[s], s).toBeDefined();
    // A policy's online and batch strategies carry the evaluation's names, so both screens agree.
    expect(policyStrategyTerms.online.label).toBe(strategyLabel('per-query'));
    expect(policyStrategyTerms.batch.label).toBe(strategyLabel('batch-mip'));
    expect(strategyLabel('batch-mip-cc')).toBe('Batch MIP, chance-constrained');
    expect(strategyLabel('something-new')).toBe('something-new');
  });

  it('labels distinct strategies distinctly', () => {
    const labels = StrategyName.options.map(strategyLabel);
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('figures and their units', () => {
  const row = (budgetFraction: number | null, costFraction: number, withinBudgetShare: number | null): FrontierRow => ({ strategy: 'ndch', kind: 'strategy', budgetFraction, costFraction, accuracy: 0.8, accuracyStd: 0, accuracyVsBest: 0.9, costFractionStd: 0, withinBudgetShare, withinBudgetStd: null, seeds: 1 });

  it('flags a strategy whose realised spend is above its budget, not one with some batches over', () => {
    expect(overspends(row(0.3, 0.29, 1))).toBe(false);
    expect(overspends(row(0.3, 0.35, 1))).toBe(true);
    expect(overspends(row(0.3, 0.3, 0.5))).toBe(false);
    expect(overspends(row(null, 1, null))).toBe(false);
  });

  it('puts nouns in the right number and months at 730 hours', () => {
    expect(plural(1, 'dataset')).toBe('1 dataset');
    expect(plural(0, 'dataset')).toBe('0 datasets');
    expect(plural(2, 'query', 'queries')).toBe('2 queries');
    expect(plural(1234, 'model')).toBe('1,234 models');
    expect(usdPerMonth(10)).toBe('$7,300/month');
  });
});

describe('the name of a dataset uploaded as several files', async () => {
  const { uploadedDatasetName } = await import('../../src/renderer/src/features/data/dataset-name');
  it('uses a shared prefix, else the file heads with their shared suffix', () => {
    expect(uploadedDatasetName(['arc_challenge_train.csv', 'mbpp_train.csv', 'winogrande_train.csv'])).toBe('arc_challenge+mbpp+winogrande-train');
    expect(uploadedDatasetName(['bench_part1.csv', 'bench_part2.csv'])).toBe('bench_part');
    expect(uploadedDatasetName(['a.csv', 'b.json'])).toBe('a+b');
    expect(uploadedDatasetName(['only.csv'])).toBeNull();
  });
});
