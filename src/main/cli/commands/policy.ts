import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { EngineError } from '../../../shared/errors';
import { gatewayFormatNames, type GatewayFormat } from '../../engine/policy/gateways/names';
import type { StrategyName } from '../../engine/policy/format';
import type { RegisterCommand } from '../env';
import { decimalOrNaN, flagNumber } from '../numbers';
import { writeOutFile } from '../out-file';
import { printFailure, table } from '../output';
import { readPolicyWithTrust, readTrustedPolicyFile, withTrustOptions } from '../trust';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new EngineError('NOT_FOUND', `cannot read ${what} ${file}: ${(err as Error).message}`, { file });
  }
}

/** Commands whose stdout is data (decisions, YAML) report failures themselves, not through env.run. */
async function dataCommand(cmd: Command, body: (opts: Record<string, any>) => void | Promise<void>): Promise<void> {
  const opts = cmd.optsWithGlobals() as Record<string, any>;
  try {
    await body(opts);
  } catch (err) {
    process.exitCode = printFailure(err, opts.json);
  }
}

function parseCapacity(spec: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (spec ?? '').split(',').filter(Boolean)) {
    const at = part.lastIndexOf('=');
    const n = decimalOrNaN(part.slice(at + 1));
    if (at <= 0 || !Number.isInteger(n) || n < 1) throw new EngineError('INVALID_INPUT', `--capacity: expected model=slots[,model=slots...], got "${part}"`);
    if (part.slice(0, at) === '__proto__') throw new EngineError('INVALID_INPUT', '--capacity: "__proto__" is a reserved name, not a model');
    out[part.slice(0, at)] = n;
  }
  return out;
}

/** --deployment FILE, read and validated (undefined without the option). */
async function deploymentOption(file: string | undefined) {
  if (!file) return undefined;
  const { parseDeployment } = await import('../../engine/policy/gateways/deployment');
  return parseDeployment(readText(file, 'deployment mapping'), file);
}

export const registerPolicyCommands: RegisterCommand = (program, env) => {
  program
    .command('export-policy')
    .description('export a routing policy from a stored predictor and its training dataset (and, with --out, every gateway config)')
    .requiredOption('--predictor <id>', 'stored predictor id')
    .requiredOption('--dataset <id>', 'training dataset id (representative traffic, cost estimates)')
    .requiredOption('--name <name>', 'policy name')
    .option('--budget <fraction>', 'budget as a fraction of the best training model\'s estimated cost', '0.3')
    .option('--batch-size <n>', 'batch size of the batch strategy', '100')
    .option('--strategy <name>', 'default strategy of `routeplan route`: online | threshold | ndch | batch', 'online')
    .option('--tau <p>', 'threshold strategy target probability')
    .option('--predictor-weight <w>', 'decide on w·p + (1 - w)·training accuracy of the query\'s task (1 = p alone), as the evaluation protocol', '0.5')
    .option('--budget-confidence <p>', 'the batch strategy holds each batch budget with probability p on realised cost by default (route can override)')
    .option('--capacity <list>', 'per-batch capacity of self-hosted models: model=slots,model=slots')
    .option('--out <dir>', 'write policy.json, scorer.onnx and the gateway configs into this directory')
    .option('--deployment <file>', 'deployment mapping (YAML): provider, endpoint, key and price per model, for the gateway configs (docs/policies.md)')
    .action(async function (this: Command) {
      let deployment;
      try {
        deployment = await deploymentOption(this.opts().deployment);
      } catch (err) {
        process.exitCode = printFailure(err, this.optsWithGlobals().json);
        return;
      }
      return env.run(
        this,
        (engine, ctx, o) =>
          engine.call(
            'policy.export',
            { name: o.name, deployment, predictorId: flagNumber('--predictor', o.predictor), datasetId: flagNumber('--dataset', o.dataset), budgetFraction: flagNumber('--budget', o.budget), batchSize: flagNumber('--batch-size', o.batchSize), strategy: o.strategy, tau: o.tau != null ? flagNumber('--tau', o.tau) : undefined, predictorWeight: flagNumber('--predictor-weight', o.predictorWeight), ...(o.budgetConfidence !== undefined ? { budgetConfidence: flagNumber('--budget-confidence', o.budgetConfidence) } : {}), capacity: parseCapacity(o.capacity), outDir: o.out },
            ctx,
          ),
        (r) =>
          [
            table([['policy', 'name', 'sha256', 'lambda', 'models'], [r.id, r.name, r.contentHash.slice(0, 16), r.lambda.toPrecision(4), r.models.length]]),
            ...r.files.map((f) => `wrote ${f}`),
            ...r.warnings.map((w) => `warning: ${w}`),
          ].join('\n'),
      );
    });

  program
    .command('policies')
    .description('list the policies exported in the workspace')
    .action(function (this: Command) {
      return env.run(this, (engine) => engine.call('policy.list', {}), (list) =>
        table([['id', 'name', 'sha256', 'strategy', 'lambda', 'models', 'created'], ...list.map((p) => [p.id, p.name, p.contentHash.slice(0, 16), p.strategy, p.lambda.toPrecision(4), p.models.length, p.createdAt])]),
      );
    });

  withTrustOptions(
    program
      .command('route')
      .description('route queries (JSONL on stdin: {"id","text","task"?,"input_tokens"?,"models"?}) with a verified, trusted policy; one decision per line on stdout, streamed in bounded memory')
      .requiredOption('--policy <file>', 'policy file exported by routeplan'),
  )
    .addOption(new Option('--strategy <name>', "decision rule (default: the policy's)").choices(['online', 'threshold', 'ndch', 'batch']))
    .option('--batch-size <n>', 'solve each batch of n queries under the budget and capacities (implies --strategy batch)')
    .option('--budget-confidence <p>', 'batch strategy: hold each batch budget with probability p on realised cost (mean + z sd of the batch within budget), e.g. 0.95')
    .option('--input <file>', 'read queries from a file instead of stdin')
    .addOption(new Option('--on-error <what>', 'a bad input line: fail (refuse the whole input) | skip (report it, route the rest)').choices(['fail', 'skip']).default('fail'))
    .option('--errors <file>', 'with --on-error skip: write one JSON line per skipped input line here (default: stderr)')
    .option('--max-line-bytes <n>', 'longest accepted input line (default: 1 MiB)')
    .action(function (this: Command) {
      const given = this.opts();
      // Usage errors (exit 2): the guarantee belongs to the batch strategy.
      if (given.budgetConfidence !== undefined && given.strategy && given.strategy !== 'batch') this.error(`error: --budget-confidence applies to --strategy batch, not ${given.strategy}`);
      return dataCommand(this, async (o) => {
        const [{ JsonlRouter }, { DecisionSpool, inputText, writeOut }] = await Promise.all([import('../../engine/policy/route-jsonl'), import('../decision-spool')]);
        const strategy = o.strategy as StrategyName | undefined;
        const batchSize = o.batchSize != null ? flagNumber('--batch-size', o.batchSize) : undefined;
        if (batchSize != null && (!Number.isInteger(batchSize) || batchSize < 1)) throw new EngineError('INVALID_INPUT', `--batch-size must be a positive integer, got ${o.batchSize}`);
        const maxLineChars = o.maxLineBytes === undefined ? undefined : flagNumber('--max-line-bytes', o.maxLineBytes);
        if (maxLineChars !== undefined && (!Number.isInteger(maxLineChars) || maxLineChars < 1)) throw new EngineError('INVALID_INPUT', `--max-line-bytes must be a positive integer, got ${o.maxLineBytes}`);
        const budgetConfidence = o.budgetConfidence === undefined ? undefined : flagNumber('--budget-confidence', o.budgetConfidence);
        if (budgetConfidence !== undefined && !(budgetConfidence > 0 && budgetConfidence < 1)) throw new EngineError('INVALID_INPUT', `--budget-confidence must be in (0, 1), got ${o.budgetConfidence}`, { field: '--budget-confidence' });
        if (o.errors && o.onError !== 'skip') throw new EngineError('INVALID_INPUT', '--errors needs --on-error skip (with fail, the first bad line refuses the input)');
        const policy = await readTrustedPolicyFile(o.policy, o);
        const inputFile = o.input ?? 'stdin';
        // Skipped rows are few (one short line each); decisions stream.
        const errorLines: string[] = [];
        const spool = o.onError === 'skip' ? null : new DecisionSpool();
        let pendingOut: Promise<void> | void = undefined;
        const router = new JsonlRouter(policy, spool ? spool.write : (text) => void (pendingOut = writeOut(process.stdout, text)), {
          strategy,
          batchSize,
          budgetConfidence,
          policyFile: o.policy,
          inputFile,
          onError: o.onError,
          maxLineChars,
          onBadLine: (b) => {
            if (o.errors) errorLines.push(JSON.stringify({ file: inputFile, row: b.row, reason: b.reason }));
            else process.stderr.write(`routeplan: skipped ${inputFile} row ${b.row}: ${b.reason}\n`);
          },
        });
        let summary;
        try {
          for await (const text of inputText(o.input ?? '-')) {
            router.push(text);
            await pendingOut;
          }
          summary = router.end();
          await pendingOut;
          if (spool) await spool.release(process.stdout);
        } finally {
          spool?.dispose();
        }
        if (o.errors) writeFileSync(o.errors, errorLines.length ? errorLines.join('\n') + '\n' : '');
        const used = Object.entries(summary.perModel).filter(([, v]) => v > 0).map(([m, v]) => `${m} ${v}`).join(', ');
        const skipped = summary.skipped ? `; skipped ${summary.skipped} bad line${summary.skipped === 1 ? '' : 's'}${o.errors ? ` (listed in ${o.errors})` : ''}` : '';
        process.stderr.write(`routed ${summary.queries} queries (${summary.strategy})${skipped}; estimated cost ${summary.estimatedCost.toPrecision(4)} USD; mean p ${summary.meanProbability.toFixed(3)}; ${used}${summary.fallbacks ? `; ${summary.fallbacks} batches fell back to the cheapest models` : ''}\n`);
      });
    });

  withTrustOptions(
    program
      .command('gateway-config')
      .description('write a gateway configuration from a verified, trusted policy: litellm | vllm-sr | envoy')
      .requiredOption('--policy <file>', 'policy file exported by routeplan'),
  )
    .addOption(new Option('--format <name>', 'gateway').choices(gatewayFormatNames).makeOptionMandatory())
    .option('--deployment <file>', 'deployment mapping (YAML): provider, endpoint, key and price per model (docs/policies.md); without it, well-known API models and catalog GPU models get defaults')
    .option('--out <file>', 'write to a file instead of stdout (written whole, or not at all)')
    .action(function (this: Command) {
      return dataCommand(this, async (o) => {
        const [{ gatewayFormats }, { resolveDeployment }, { checkGatewayConfig }] = await Promise.all([
          import('../../engine/policy/gateways'),
          import('../../engine/policy/gateways/deployment'),
          import('../../engine/policy/gateways/check'),
        ]);
        const policy = await readTrustedPolicyFile(o.policy, o);
        const deployment = resolveDeployment(policy, await deploymentOption(o.deployment));
        const format = o.format as GatewayFormat;
        const text = gatewayFormats[format].render(policy, deployment);
        // The target's own schema and loader rules, before anything is written.
        const problems = checkGatewayConfig(format, text);
        if (problems.length) throw new EngineError('INTERNAL', `the ${format} config fails its target's schema (a routeplan bug; nothing written): ${problems.slice(0, 5).join('; ')}`);
        if (o.out) writeOutFile(o.out, text);
        else process.stdout.write(text);
      });
    });

  withTrustOptions(
    program
      .command('verify-policy')
      .description('check a policy file (version, content hash, signature by a trusted key, schema, the ONNX scorer inside its folder: sha256, model order and policy hash) and describe it')
      .requiredOption('--policy <file>', 'policy file'),
  )
    .action(function (this: Command) {
      return dataCommand(this, async (o) => {
        const { onnxHeadBytes } = await import('../../engine/policy/onnx-sidecar');
        const { policy: p, signatureVerified } = await readPolicyWithTrust(o.policy, o);
        const onnx = onnxHeadBytes(p, o.policy);
        if (onnx) {
          const { scorerProblems } = await import('../../engine/policy/onnx-scorer');
          const problems = scorerProblems(onnx, p);
          if (problems.length) throw new EngineError('FILE_FORMAT', `the ONNX scorer does not belong to this policy: ${problems.join('; ')}`, { reason: 'onnx-mismatch' });
        }
        const info = {
          onnxScorer: onnx ? { encoding: p.predictor.onnx!.encoding, bytes: onnx.length, sha256: p.predictor.onnx!.sha256 } : null, signedBy: signatureVerified ? (p.signature?.keyId ?? null) : null, signatureVerified, ...(p.signature && !signatureVerified ? { unverifiedKeyId: p.signature.keyId } : {}), name: p.name, version: p.version, contentHash: p.contentHash, models: p.models.map((m) => m.id), strategy: p.strategy.default, lambda: p.strategy.online.lambda, dataset: p.provenance.dataset, createdAt: p.provenance.createdAt };
        if (o.json) process.stdout.write(JSON.stringify({ ok: true, ...info }, null, 2) + '\n');
        else process.stdout.write(table([['policy', 'version', 'sha256', 'signed by', 'models', 'strategy', 'lambda', 'onnx scorer'], [p.name, p.version, p.contentHash.slice(0, 16), !p.signature ? 'unsigned' : signatureVerified ? p.signature.keyId.slice(0, 16) : `does not verify (names key ${p.signature.keyId.slice(0, 16)})`, p.models.length, p.strategy.default, p.strategy.online.lambda, onnx ? `${p.predictor.onnx!.encoding}, ${onnx.length} bytes, verified` : 'none']]) + '\n');
      });
    });
};
