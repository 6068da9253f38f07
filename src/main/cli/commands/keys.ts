import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EngineError } from '../../../shared/errors';
import { defaultWorkspacePath } from '../../engine/store/paths';
import type { RegisterCommand } from '../env';
import { printFailure, table } from '../output';

/**
 * `routeplan keys`: the workspace's policy-signing key (Ed25519, created on first use beside the
 * workspace file). Shows its id and public key, exports the public key for routers to trust, or
 * makes another private key the workspace's (e.g. one key shared by a team's workspaces).
 */
export const registerKeyCommands: RegisterCommand = (program) => {
  program
    .command('keys')
    .description("the workspace's policy-signing key: print its id and public key, --export it for routers to trust (--trusted-key), or --import another private key")
    .option('--export <file>', 'write the public key (PEM) to this file')
    .option('--import <file>', 'sign future exports with this Ed25519 private key (PEM, PKCS#8) instead')
    .action(async function (this: Command) {
      const o = this.optsWithGlobals() as Record<string, any>;
      try {
        const workspace = o.workspace ?? defaultWorkspacePath();
        // A key belongs to a workspace: this command never creates one.
        if (workspace !== ':memory:' && !existsSync(workspace)) throw new EngineError('NOT_FOUND', `no workspace at ${workspace}: create it first (e.g. routeplan import, routeplan demo)`, { path: workspace });
        const { importSigningKey, keyId, publicKeyPem, signingKeyPath, workspaceSigningKey } = await import('../../engine/policy/signing');
        let key;
        if (o.import) {
          let text: string;
          try {
            text = readFileSync(o.import, 'utf8');
          } catch (err) {
            throw new EngineError('NOT_FOUND', `cannot read key ${o.import}: ${(err as Error).message}`, { file: o.import });
          }
          key = importSigningKey(workspace, text, o.import);
        } else key = workspaceSigningKey(workspace);
        const pem = publicKeyPem(key);
        if (o.export) writeFileSync(o.export, pem);
        const info = { keyId: keyId(key), keyFile: signingKeyPath(workspace), publicKey: pem, ...(o.export ? { exported: o.export } : {}), ...(o.import ? { imported: o.import } : {}) };
        if (o.json) process.stdout.write(JSON.stringify(info, null, 2) + '\n');
        else process.stdout.write(`${table([['key id', 'private key file'], [info.keyId, info.keyFile]])}\n${o.export ? `wrote the public key to ${o.export}\n` : pem}`);
      } catch (err) {
        process.exitCode = printFailure(err, o.json);
      }
    });
};
