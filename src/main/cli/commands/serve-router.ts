import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EngineError } from '../../../shared/errors';
import type { RegisterCommand } from '../env';
import { countOption } from '../numbers';
import { printFailure } from '../output';
import { readTrustedPolicyFile, withTrustOptions } from '../trust';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineError('NOT_FOUND', `cannot read ${what} ${file}: ${(err as Error).message}`, { file });
  }
}

export const registerServeRouter: RegisterCommand = (program) => {
  withTrustOptions(
    program
      .command('serve-router')
      .description('decide each request with a verified, trusted policy over HTTP (POST /v1/chat/completions, /v1/messages): answer the decision, or forward to the decided model and stream its answer back')
      .requiredOption('--policy <file>', 'policy file exported by routeplan'),
  )
    .option('--port <n>', 'port (default 8686; 0 = any free port)', countOption('--port'), 8686)
    .option('--host <addr>', 'address to bind (default 127.0.0.1; any other needs --token-env)', '127.0.0.1')
    .option('--token-env <name>', 'environment variable holding the token callers must send (Authorization: Bearer)')
    .option('--deployment <file>', 'forward each request to the decided model\'s provider from this mapping (keys from its environment variables)')
    .option('--gateway <url>', 'forward each request back through a gateway at this base URL, with the decided model id (x-ai-eg-model)')
    .option('--max-body-bytes <n>', 'largest request body accepted (default 1 MiB)', countOption('--max-body-bytes'), 1 << 20)
    .option('--upstream-timeout-ms <n>', 'wait at most this long for an upstream\'s headers, and between its chunks (default 60000)', countOption('--upstream-timeout-ms'), 60_000)
    .option('--batch-window-ms <ms>', 'decide the requests arriving within this window together by the policy\'s batch rule, within their batch\'s budget (default 0: each at once, online rule)', countOption('--batch-window-ms'))
    .option('--batch-max <n>', 'with --batch-window-ms: decide at once when this many wait (default: the policy\'s batch size)', countOption('--batch-max'))
    .option('--log-prompts', 'log each request\'s prompt (by default only the decision is logged, never the text)')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals() as Record<string, any>;
      try {
        if (o.deployment && o.gateway) throw new EngineError('INVALID_INPUT', '--deployment and --gateway exclude each other: forward to the providers or through the gateway');
        const token = o.tokenEnv ? process.env[o.tokenEnv] : undefined;
        if (o.tokenEnv && !token) throw new EngineError('INVALID_INPUT', `--token-env ${o.tokenEnv}: the variable is not set`);
        const [{ parseDeployment, resolveDeployment }, { startRouterService }] = await Promise.all([import('../../engine/policy/gateways/deployment'), import('../../server/router-service')]);
        // The same trust rule as route: a signature by a trusted key, or --allow-unsigned with a warning.
        const policy = await readTrustedPolicyFile(o.policy, o);
        const deployment = o.deployment ? resolveDeployment(policy, parseDeployment(readText(o.deployment, 'deployment mapping'), o.deployment)) : null;
        if (o.gateway) new URL(o.gateway);
        const service = await startRouterService({ policy, host: o.host, port: o.port, token, deployment, gateway: o.gateway ?? null, maxBodyBytes: o.maxBodyBytes, upstreamTimeoutMs: o.upstreamTimeoutMs, logPrompts: !!o.logPrompts, batchWindowMs: o.batchWindowMs ?? 0, batchMax: o.batchMax });
        const mode = `${deployment ? 'forward to providers' : o.gateway ? `forward through ${o.gateway}` : 'decide only'}${o.batchWindowMs ? `, batch window ${o.batchWindowMs} ms` : ''}`;
        if (o.json) process.stdout.write(JSON.stringify({ url: service.url, port: service.port, mode, policy: policy.name }) + '\n');
        else process.stdout.write(`routeplan serve-router: policy "${policy.name}" on ${service.url} (${mode}${token ? ', token required' : ''})\n`);
        const stop = async () => {
          await service.close();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        process.exitCode = printFailure(err, o.json);
      }
    });
};
