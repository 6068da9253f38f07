import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EngineError } from '../../../shared/errors';
import type { SolveResult } from '../../../shared/contract/routing';
import type { RegisterCommand } from '../env';
import { numberOption } from '../numbers';
import { table } from '../output';
import { registerEvaluateCommand } from './routing-evaluate';
import { memoryWorkspaceUnlessGiven } from './routing-workspace';


async function readInstance(file: string): Promise<unknown> {
  const { BatchInstanceInput } = await import('../../../shared/contract/routing');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EngineError('FILE_FORMAT', `${file}: not valid JSON (${(err as Error).message})`, { file });
  }
  const parsed = BatchInstanceInput.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message }));
    throw new EngineError('FILE_FORMAT', `${file}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, { file, issues });
  }
  return parsed.data;
}

function solveTable(r: SolveResult): string {
  const f = (x: number | null, d = 6) => (x == null ? null : x.toFixed(d));
  return [
    table([
      ['status', 'solver', 'objective', 'lp bound', 'gap', 'cost', ...(r.budgetConfidence != null ? ['cost + z sd'] : []), 'ms'],
      [r.status, r.solver, f(r.objective), f(r.lpBound), r.gap == null ? null : (100 * r.gap).toFixed(4) + '%', f(r.cost, 8), ...(r.budgetConfidence != null ? [f(r.riskAdjustedCost ?? null, 8)] : []), r.ms],
    ]),
    r.reason ? `reason: ${r.reason}` : '',
    r.status === 'infeasible' ? '' : `assignment: ${r.assignment.join(' ')}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export const registerRoutingCommands: RegisterCommand = (program, env) => {
  program
    .command('solve-batch')
    .description('route one batch: max Σ quality under the budget and each model\'s capacity, with a proven gap to the LP bound')
    .requiredOption('-i, --input <file>', 'instance JSON: {"quality": NxK, "cost": NxK or K, "capacity": K (null = unlimited), "budget": number}')
    .option('--solver <solver>', 'auto | fast | highs', 'auto')
    .option('--time-limit <s>', 'hard time limit for HiGHS, seconds', numberOption, 60)
    .option('--tolerance <gap>', 'relative gap accepted from the fast solver before auto calls HiGHS', numberOption, 0.001)
    .option('--budget-confidence <p>', 'the budget must hold with probability p on realised cost, with the instance\'s "costStd" (sd of each cost): mean + z·sd of the batch within budget', numberOption)
    .action(function (this: Command) {
      memoryWorkspaceUnlessGiven(this);
      return env.run(
        this,
        async (engine, ctx, opts) => {
          const instance = await readInstance(opts.input);
          const out = await engine.call('routing.solve', { instance, solver: opts.solver, timeLimitS: opts.timeLimit, tolerance: opts.tolerance, ...(opts.budgetConfidence !== undefined ? { budgetConfidence: opts.budgetConfidence } : {}) }, ctx);
          if (out.status === 'infeasible') process.exitCode = 3;
          return out;
        },
        solveTable,
      );
    });
  registerEvaluateCommand(program, env);
};
