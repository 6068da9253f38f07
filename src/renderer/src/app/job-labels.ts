// What the tray calls each long job; unknown methods show their own name.
const labels: Record<string, string> = {
  'data.import': 'Import data',
  'demo.create': 'Create demo data',
  'predictor.train': 'Train predictor',
  'evaluation.run': 'Evaluate routing',
  'allocation.solve': 'Allocate instances',
  'whatif.optimise': 'Optimise instances',
  'whatif.sweep': 'Procurement sweep',
  'policy.export': 'Export policy',
  'plan.create': 'Plan over time',
  'plan.replay': 'Replay plan',
  'demand.import': 'Import trace',
};

export function jobLabel(method: string): string {
  return labels[method] ?? method;
}
