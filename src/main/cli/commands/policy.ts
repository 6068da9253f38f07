import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EngineError } from '../../../shared/errors';
import { gatewayFormats, type GatewayFormat } from '../../engine/policy/gateways';
import { StrategyName } from '../../engine/policy/format';
import { routeJsonl } from '../../engine/policy/route-jsonl';
import { readPolicy } from '../../engine/policy/verify';
import type { RegisterCommand } from '../env';
import { printFailure, table } from '../output';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new EngineError('NOT_FOUND', `cannot read ${what} ${file}: ${(err as Error).message}`, { file });
  }
}

/** Commands whose stdout is data (decisions, YAML) report failures themselves, not through env.run. */
function dataCommand(cmd: Command, body: (opts: Record<string, any>) => void): void {
  const opts = cmd.optsWithGlobals() as Record<string, any>;
  try {
    body(opts);
  } catch (err) {
    process.exitCode = printFailure(err, opts.json);
  }
}

export const registerPolicyCommands: RegisterCommand = (program) => {
  program
    .command('route')
    .description('route queries (JSONL on stdin: {"id","text","task"?,"input_tokens"?,"models"?}) with a verified policy; one decision per line on stdout')
    .requiredOption('--policy <file>', 'policy file exported by routeplan')
    .option('--strategy <name>', `online | threshold | ndch | batch (default: the policy's)`)
    .option('--batch-size <n>', 'solve each batch of n queries under the budget and capacities (implies --strategy batch)')
    .option('--input <file>', 'read queries from a file instead of stdin')
    .action(function (this: Command) {
      dataCommand(this, (o) => {
        const strategy = o.strategy ? StrategyName.parse(o.strategy) : undefined;
        const batchSize = o.batchSize != null ? Number(o.batchSize) : undefined;
        if (batchSize != null && (!Number.isInteger(batchSize) || batchSize < 1)) throw new EngineError('INVALID_INPUT', `--batch-size must be a positive integer, got ${o.batchSize}`);
        const summary = routeJsonl(readText(o.policy, 'policy'), readText(o.input ?? '-', 'queries'), (s) => process.stdout.write(s), {
          strategy,
          batchSize,
          policyFile: o.policy,
          inputFile: o.input ?? 'stdin',
        });
        const used = Object.entries(summary.perModel).filter(([, v]) => v > 0).map(([m, v]) => `${m} ${v}`).join(', ');
        process.stderr.write(`routed ${summary.queries} queries (${summary.strategy}); estimated cost ${summary.estimatedCost.toPrecision(4)} USD; mean p ${summary.meanProbability.toFixed(3)}; ${used}${summary.fallbacks ? `; ${summary.fallbacks} batches fell back to the cheapest models` : ''}\n`);
      });
    });

  program
    .command('gateway-config')
    .description('write a gateway configuration from a verified policy: litellm | vllm-sr | envoy')
    .requiredOption('--policy <file>', 'policy file exported by routeplan')
    .requiredOption('--format <name>', Object.keys(gatewayFormats).join(' | '))
    .option('--out <file>', 'write to a file instead of stdout')
    .action(function (this: Command) {
      dataCommand(this, (o) => {
        const g = gatewayFormats[o.format as GatewayFormat];
        if (!g) throw new EngineError('INVALID_INPUT', `unknown gateway format "${o.format}"; known: ${Object.keys(gatewayFormats).join(', ')}`);
        const text = g.render(readPolicy(readText(o.policy, 'policy'), o.policy));
        if (o.out) writeFileSync(o.out, text);
        else process.stdout.write(text);
      });
    });

  program
    .command('verify-policy')
    .description('check a policy file (version, content hash, schema) and describe it')
    .requiredOption('--policy <file>', 'policy file')
    .action(function (this: Command) {
      dataCommand(this, (o) => {
        const p = readPolicy(readText(o.policy, 'policy'), o.policy);
        const info = { name: p.name, version: p.version, contentHash: p.contentHash, models: p.models.map((m) => m.id), strategy: p.strategy.default, lambda: p.strategy.online.lambda, dataset: p.provenance.dataset, createdAt: p.provenance.createdAt };
        if (o.json) process.stdout.write(JSON.stringify({ ok: true, ...info }, null, 2) + '\n');
        else process.stdout.write(table([['policy', 'version', 'sha256', 'models', 'strategy', 'lambda'], [p.name, p.version, p.contentHash.slice(0, 16), p.models.length, p.strategy.default, p.strategy.online.lambda]]) + '\n');
      });
    });
};
