import { existsSync, readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Command } from 'commander';
import { EngineError } from '../../shared/errors';
import type { Policy } from '../engine/policy/format';

/**
 * Which policy signers a command trusts (docs/policies.md, "Signatures and trust"):
 * every key in the files given with --trusted-key, every key in the files listed in
 * $ROUTEPLAN_TRUSTED_KEYS (separated like PATH), and the public key of the workspace named
 * explicitly with --workspace or $ROUTEPLAN_WORKSPACE (its own exports). The implicit app-data
 * workspace is not trusted without being named. Reading trust never creates a workspace or a key.
 */
export function withTrustOptions(cmd: Command): Command {
  return cmd
    .option('--trusted-key <file>', 'trust the Ed25519 public key(s) in this PEM file (repeatable; also $ROUTEPLAN_TRUSTED_KEYS)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--allow-unsigned', 'development only: accept an unsigned policy or one signed by an untrusted key (a warning says so)');
}

export async function trustedKeys(opts: Record<string, any>): Promise<KeyObject[]> {
  const { parsePublicKeys, workspacePublicKey } = await import('../engine/policy/signing');
  const files = [...((opts.trustedKey as string[] | undefined) ?? []), ...(process.env.ROUTEPLAN_TRUSTED_KEYS ?? '').split(delimiter).filter(Boolean)];
  const keys: KeyObject[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (err) {
      throw new EngineError('NOT_FOUND', `cannot read trusted key file ${f}: ${(err as Error).message}`, { file: f });
    }
    keys.push(...parsePublicKeys(text, f));
  }
  const named = (opts.workspace as string | undefined) || process.env.ROUTEPLAN_WORKSPACE;
  if (named && existsSync(named)) {
    const own = workspacePublicKey(named);
    if (own) keys.push(own);
  }
  return keys;
}

/** A policy file read within its size cap, intact and signed by a trusted key (or let through by --allow-unsigned, with a warning on stderr). */
export async function readTrustedPolicyFile(file: string, opts: Record<string, any>): Promise<Policy> {
  return (await readPolicyWithTrust(file, opts)).policy;
}

/** The same, and whether its signature verified against a trusted key (false only under --allow-unsigned). */
export async function readPolicyWithTrust(file: string, opts: Record<string, any>): Promise<{ policy: Policy; signatureVerified: boolean }> {
  const [{ readPolicyFile }, { readTrustedPolicy }] = await Promise.all([import('../engine/policy/policy-files'), import('../engine/policy/verify')]);
  const text = readPolicyFile(file);
  const { policy, warning } = readTrustedPolicy(text, file, { keys: await trustedKeys(opts), allowUnsigned: opts.allowUnsigned === true });
  if (warning) process.stderr.write(`routeplan: warning: ${warning}\n`);
  return { policy, signatureVerified: warning === null };
}
