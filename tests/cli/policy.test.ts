// Slow: about thirty real CLI processes (export, route over RouterBench test prompts, a 35,000-line streaming route under a small heap, signatures, gateway configs, a served router).
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { policyHash } from '../../src/main/engine/policy/canonical';
import { signatureFor, workspaceSigningKey } from '../../src/main/engine/policy/signing';
import { repoRoot, scratchDir } from '../helpers/engine';
import { readRouterbench, testFiles, trainFiles } from '../helpers/routerbench';

function routeplan(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/routeplan.js'), ...args], { encoding: 'utf8', cwd: repoRoot, input, env: { ...process.env, ROUTEPLAN_WORKSPACE: '', ROUTEPLAN_TRUSTED_KEYS: '', ...env }, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const scratch = scratchDir('routeplan-cli-policy-');
const ws = join(scratch.dir, 'ws.routeplan');
const outDir = join(scratch.dir, 'export');
let policyFile = '';
const mapping = join(repoRoot, 'tests/fixtures/deployment/routerbench.yaml');

beforeAll(() => {
  const cli = join(repoRoot, 'out/main/cli.js');
  let built = '';
  try {
    built = readFileSync(cli, 'utf8');
  } catch {}
  if (!built.includes('export-policy')) spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  // The whole journey through the command line: import, train, export.
  const imp = routeplan(['--workspace', ws, '--json', 'import', trainFiles[1], '--name', 'mbpp-train']);
  expect(imp.code, imp.err).toBe(0);
  const datasetId = JSON.parse(imp.out).datasetId ?? JSON.parse(imp.out)[0]?.datasetId;
  const tr = routeplan(['--workspace', ws, '--json', 'train', '--dataset', String(datasetId), '--featurizer', 'builtin', '--ensemble', '1', '--seed', '2']);
  expect(tr.code, tr.err).toBe(0);
  const ex = routeplan(['--workspace', ws, '--json', 'export-policy', '--predictor', String(JSON.parse(tr.out).id), '--dataset', String(datasetId), '--name', 'mbpp', '--budget', '0.3', '--capacity', 'mistralai/mixtral-8x7b-chat=10', '--deployment', mapping, '--out', outDir]);
  expect(ex.code, ex.err).toBe(0);
  expect(JSON.parse(ex.out).files).toHaveLength(5);
  policyFile = join(outDir, 'policy.json');
});
afterAll(() => scratch.cleanup());

describe('routeplan route', () => {
  const test = readRouterbench([testFiles[1]]);
  const lines = test.texts.map((t, i) => JSON.stringify({ id: test.queryIds[i], text: t, task: test.tasks[i] })).join('\n') + '\n';

  it('writes one decision per query (model, probability, estimated cost), online and per batch', () => {
    const policy = JSON.parse(readFileSync(policyFile, 'utf8'));
    const ids = policy.models.map((m: { id: string }) => m.id);
    // --predictor-weight defaults to the evaluation protocol's 0.5; the prior has a row per model.
    expect(policy.decisionPrior.weight).toBe(0.5);
    expect(policy.decisionPrior.byTask.mbpp).toHaveLength(ids.length);
    for (const args of [[], ['--batch-size', '32']]) {
      const r = routeplan(['--workspace', ws, 'route', '--policy', policyFile, ...args], lines);
      expect(r.code, r.err).toBe(0);
      const decisions = r.out.trim().split('\n').map((l) => JSON.parse(l));
      expect(decisions.map((d) => d.id)).toEqual(test.queryIds);
      for (const d of decisions) {
        expect(ids).toContain(d.model);
        expect(d.probability).toBeGreaterThan(0);
        expect(d.probability).toBeLessThan(1);
        expect(d.estimated_cost).toBeGreaterThanOrEqual(0);
      }
      if (args.length) {
        expect(decisions.every((d) => d.strategy === 'batch')).toBe(true);
        for (let s = 0; s < decisions.length; s += 32) expect(decisions.slice(s, s + 32).filter((d) => d.model === 'mistralai/mixtral-8x7b-chat').length).toBeLessThanOrEqual(10);
      }
      expect(r.err).toMatch(/routed 128 queries/);
    }
  });

  it('refuses a tampered policy, an unknown version, an unknown model and a malformed line, with exit code 1', () => {
    const text = readFileSync(policyFile, 'utf8');
    const tampered = join(scratch.dir, 'tampered.json');
    writeFileSync(tampered, text.replace('"name": "mbpp"', '"name": "mbpq"'));
    let r = routeplan(['--workspace', ws, 'route', '--policy', tampered], lines);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/content hash mismatch/);
    const v2 = join(scratch.dir, 'v2.json');
    writeFileSync(v2, text.replace('"version": 1', '"version": 2'));
    r = routeplan(['--workspace', ws, 'route', '--policy', v2], lines);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown policy version 2/);
    r = routeplan(['--workspace', ws, 'route', '--policy', policyFile], '{"text":"a"}\n{"text":"b","models":["gpt-9"]}\n');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/row 2.*no model "gpt-9"/);
    r = routeplan(['--workspace', ws, '--json', 'route', '--policy', policyFile], '{"text":"a"}\n{"text":\n');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).error).toMatchObject({ code: 'FILE_FORMAT', details: { row: 2 } });
  });

  it('--on-error skip routes every good line and names each bad one (row and reason) on stderr or in --errors', () => {
    const good = lines.trim().split('\n').slice(0, 50);
    const bad: [number, string, RegExp][] = [
      [3, '{"text": "unterminated', /malformed JSON line/],
      [7, '{"id": "no-text"}', /needs "text"/],
      [11, JSON.stringify({ text: 'x'.repeat(30000) }), /over the limit of 20000/],
      [15, '{"text": "nul \u0000 inside"}'.replace('\\u0000', '\u0000'), /binary or non-UTF-8/],
      [20, '{"text": "a", "models": ["gpt-9"]}', /no model "gpt-9"/],
    ];
    const all = [...good];
    for (const [row, line] of bad) all.splice(row - 1, 0, line);
    const input = all.join('\n') + '\n';
    // default: fail, exactly as before
    const strict = routeplan(['--workspace', ws, 'route', '--policy', policyFile, '--max-line-bytes', '20000'], input);
    expect(strict.code).toBe(1);
    expect(strict.out).toBe('');
    const r = routeplan(['--workspace', ws, 'route', '--policy', policyFile, '--on-error', 'skip', '--max-line-bytes', '20000'], input);
    expect(r.code, r.err).toBe(0);
    const decisions = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(decisions).toHaveLength(good.length);
    expect(decisions.map((d) => d.id)).toEqual(good.map((l) => JSON.parse(l).id));
    for (const [row, , reason] of bad) expect(r.err).toMatch(new RegExp(`skipped stdin row ${row}: .*${reason.source}`));
    expect(r.err).toMatch(new RegExp(`routed ${good.length} queries .*skipped ${bad.length} bad lines`));
    const errors = join(scratch.dir, 'errors.jsonl');
    const withFile = routeplan(['--workspace', ws, 'route', '--policy', policyFile, '--on-error', 'skip', '--max-line-bytes', '20000', '--errors', errors], input);
    expect(withFile.code).toBe(0);
    expect(withFile.out).toBe(r.out);
    const listed = readFileSync(errors, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(listed.map((e) => e.row)).toEqual(bad.map(([row]) => row));
    listed.forEach((e, i) => expect(e.reason).toMatch(bad[i][2]));
    expect(withFile.err).not.toMatch(/skipped stdin row/);
    // usage errors exit 2
    expect(routeplan(['--workspace', ws, 'route', '--policy', policyFile, '--on-error', 'ignore'], input).code).toBe(2);
  });
});

describe('routeplan route streams', () => {
  // Node's heap capped below the input's size: holding the input (or its lines) cannot fit, so
  // completing proves bounded memory; peak RSS is reported by a preload and bounded too.
  const heapMiB = 44;
  const capped = (args: string[]) => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'out/main/cli.js'), '--workspace', ws, 'route', '--policy', policyFile, ...args], {
      encoding: 'utf8',
      cwd: repoRoot,
      env: { ...process.env, ROUTEPLAN_WORKSPACE: '', NODE_OPTIONS: `--max-old-space-size=${heapMiB} --require ${join(repoRoot, 'tests/helpers/report-max-rss.cjs')}` },
      maxBuffer: 256 << 20,
    });
    return { code: r.status, out: r.stdout, err: r.stderr, rssMiB: Number(/max-rss-kib=(\d+)/.exec(r.stderr)?.[1]) / 1024 };
  };

  it(`routes 35,000 RouterBench-length lines (60 MB) under a ${heapMiB} MiB heap, every decision in order`, () => {
    const file = join(scratch.dir, 'long.jsonl');
    const fd = openSync(file, 'w');
    const words = 'Write a function that takes a list of integers and returns the sum of the squares of the odd numbers, explaining each step. ';
    for (let i = 0; i < 35_000; i++) writeSync(fd, JSON.stringify({ id: `q${i}`, text: `${i} ${words.repeat(14)}`.slice(0, 1700), task: 'mbpp' }) + '\n');
    closeSync(fd);
    expect(statSync(file).size).toBeGreaterThan(heapMiB * 1.3 * 2 ** 20);
    const r = capped(['--input', file]);
    expect(r.code, r.err.slice(0, 2000)).toBe(0);
    expect(r.err).toMatch(/routed 35000 queries/);
    const out = r.out.trimEnd().split('\n');
    expect(out).toHaveLength(35_000);
    expect(JSON.parse(out[34_999]).id).toBe('q34999');
    expect(r.rssMiB).toBeLessThan(400);
  });

  it('refuses a 50 MB line by its row without holding it (the heap is smaller than the line)', () => {
    const file = join(scratch.dir, 'one-long-line.jsonl');
    writeFileSync(file, `{"text":"ok"}\n{"text":"${'x'.repeat(50 << 20)}"}\n`);
    const r = capped(['--input', file, '--json']);
    expect(r.code, r.err.slice(0, 2000)).toBe(1);
    expect(JSON.parse(r.out).error).toMatchObject({ code: 'FILE_FORMAT', details: { row: 2 } });
    expect(r.err).toMatch(/over the limit of 1048576/);
  });
});

describe('routeplan route --budget-confidence', () => {
  it('holds each batch at the confidence (the policy carries cost variances), refuses a bad one and a non-batch strategy', () => {
    const test = readRouterbench([testFiles[1]]);
    const input = test.texts.map((t, i) => JSON.stringify({ id: test.queryIds[i], text: t, task: test.tasks[i] })).join('\n') + '\n';
    const held = routeplan(['--workspace', ws, 'route', '--policy', policyFile, '--batch-size', '50', '--budget-confidence', '0.95'], input);
    expect(held.code, held.err).toBe(0);
    expect(held.out.trim().split('\n')).toHaveLength(test.texts.length);
    expect(JSON.parse(readFileSync(policyFile, 'utf8')).costModel.variance.sdScale).toBeGreaterThanOrEqual(1);
    expect(routeplan(['--workspace', ws, 'route', '--policy', policyFile, '--strategy', 'online', '--budget-confidence', '0.95'], input).code).toBe(2);
    const bad = routeplan(['--workspace', ws, 'route', '--policy', policyFile, '--budget-confidence', '1.5'], input);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--budget-confidence must be in \(0, 1\)/);
  });
});

describe('policy signatures and trust', () => {
  const query = '{"id":"q","text":"def add(a, b):","task":"mbpp"}\n';
  /** A copy of the exported folder with policy.json changed by `edit` (then rehashed, and re-signed with `key` when given). */
  const variant = (name: string, edit: (p: any) => void, key?: KeyObject) => {
    const dir = join(scratch.dir, name);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(outDir, 'scorer.onnx'), join(dir, 'scorer.onnx'));
    const p = JSON.parse(readFileSync(policyFile, 'utf8'));
    edit(p);
    p.contentHash = policyHash(p);
    if (key) p.signature = signatureFor(p.contentHash, key);
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(p));
    return join(dir, 'policy.json');
  };

  it('export-policy signs with the workspace key, kept beside the workspace and never in the policy', () => {
    const text = readFileSync(policyFile, 'utf8');
    const keys = routeplan(['--workspace', ws, '--json', 'keys']);
    expect(keys.code, keys.err).toBe(0);
    expect(JSON.parse(text).signature).toMatchObject({ alg: 'ed25519', keyId: JSON.parse(keys.out).keyId });
    expect(statSync(`${ws}.signing-key.pem`).mode & 0o777).toBe(0o600);
    expect(text).not.toMatch(/PRIVATE KEY/);
    expect(readdirSync(outDir).some((f) => f.includes('key'))).toBe(false);
  });

  it('route refuses an untrusted signer by default; --trusted-key, ROUTEPLAN_TRUSTED_KEYS or the named workspace trust it', () => {
    let r = routeplan(['--json', 'route', '--policy', policyFile], query);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason: 'untrusted-key' } });
    const pub = join(scratch.dir, 'trusted.pem');
    expect(routeplan(['--workspace', ws, 'keys', '--export', pub]).code).toBe(0);
    r = routeplan(['route', '--policy', policyFile, '--trusted-key', pub], query);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).id).toBe('q');
    r = routeplan(['route', '--policy', policyFile], query, { ROUTEPLAN_TRUSTED_KEYS: pub });
    expect(r.code, r.err).toBe(0);
    r = routeplan(['verify-policy', '--policy', policyFile, '--trusted-key', pub]);
    expect(r.code, r.err).toBe(0);
    expect(routeplan(['gateway-config', '--policy', policyFile, '--format', 'litellm', '--deployment', mapping]).code).toBe(1);
  });

  it('a tampered policy with a recomputed hash is refused (lambda 0, a dropped ONNX section); an unsigned one only with --allow-unsigned, which warns', () => {
    const zero = variant('lambda0', (p) => (p.strategy.online.lambda = 0));
    let r = routeplan(['--workspace', ws, '--json', 'route', '--policy', zero], query);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).error.details.reason).toBe('bad-signature');
    const dropped = variant('no-onnx', (p) => delete p.predictor.onnx);
    r = routeplan(['--workspace', ws, '--json', 'verify-policy', '--policy', dropped]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).error.details.reason).toBe('bad-signature');
    // --allow-unsigned never waves through a bad signature from a trusted key
    expect(routeplan(['--workspace', ws, 'route', '--policy', zero, '--allow-unsigned'], query).code).toBe(1);
    const unsigned = variant('unsigned', (p) => delete p.signature);
    r = routeplan(['--workspace', ws, '--json', 'route', '--policy', unsigned], query);
    expect(JSON.parse(r.out).error.details.reason).toBe('unsigned');
    r = routeplan(['route', '--policy', unsigned, '--allow-unsigned'], query);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/warning: .*not signed; routing anyway because of --allow-unsigned/);
    const stranger = variant('stranger', () => {}, generateKeyPairSync('ed25519').privateKey);
    r = routeplan(['--workspace', ws, '--json', 'route', '--policy', stranger], query);
    expect(JSON.parse(r.out).error.details.reason).toBe('untrusted-key');
  });

  it('a policy (even validly signed) may reference only regular files inside its folder, capped before reading', () => {
    const key = workspaceSigningKey(ws);
    const outside = join(scratch.dir, 'outside.onnx');
    copyFileSync(join(outDir, 'scorer.onnx'), outside);
    const link = variant('symlink', (p) => (p.predictor.onnx.path = 'link.onnx'), key);
    symlinkSync(outside, join(scratch.dir, 'symlink', 'link.onnx'));
    const cases: [string, string][] = [
      [variant('abs', (p) => (p.predictor.onnx.path = '/etc/passwd'), key), 'path-outside-folder'],
      [variant('dotdot', (p) => (p.predictor.onnx.path = '../outside.onnx'), key), 'path-outside-folder'],
      [variant('dev', (p) => (p.predictor.onnx.path = '/dev/zero'), key), 'path-outside-folder'],
      [link, 'symlink'],
    ];
    for (const [file, reason] of cases) {
      const r = routeplan(['--workspace', ws, '--json', 'verify-policy', '--policy', file]);
      expect(r.code, file).toBe(1);
      expect(JSON.parse(r.out).error.details.reason, file).toBe(reason);
      expect(r.out).not.toMatch(/root:/);
    }
    // a FIFO or device inside the folder is not a regular file: refused without reading
    const fifoDir = variant('fifo', (p) => (p.predictor.onnx.path = 'scorer.fifo'), key);
    spawnSync('mkfifo', [join(scratch.dir, 'fifo', 'scorer.fifo')]);
    const r = routeplan(['--workspace', ws, '--json', 'verify-policy', '--policy', fifoDir]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).error.details.reason).toBe('not-regular-file');
  });
});

describe('routeplan gateway-config and policies', () => {
  it('prints each gateway config, equal to the exported file; LiteLLM and vLLM SR carry every model with the mapping\'s prices', () => {
    const policy = JSON.parse(readFileSync(policyFile, 'utf8'));
    const deployment = parse(readFileSync(mapping, 'utf8'));
    for (const [format, file] of [['litellm', 'litellm-config.yaml'], ['vllm-sr', 'vllm-semantic-router-config.yaml'], ['envoy', 'envoy-ai-gateway.yaml']]) {
      const r = routeplan(['--workspace', ws, 'gateway-config', '--policy', policyFile, '--format', format, '--deployment', mapping]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(readFileSync(join(outDir, file), 'utf8'));
    }
    const lite = parse(readFileSync(join(outDir, 'litellm-config.yaml'), 'utf8'));
    const sr = parse(readFileSync(join(outDir, 'vllm-semantic-router-config.yaml'), 'utf8'));
    for (const m of policy.models) {
      // RouterBench has no token counts: the policy records no price, the mapping gives it.
      expect(m.priceSource).toBe('none');
      const e = lite.model_list.find((x: any) => x.model_name === m.id);
      expect(e.litellm_params.input_cost_per_token).toBeCloseTo(deployment.models[m.id].priceInPerM / 1e6, 15);
      expect(e.litellm_params.input_cost_per_token).toBeGreaterThan(0);
      const s = sr.providers.models.find((x: any) => x.name === m.id);
      expect(s.pricing.completion_per_1m).toBe(deployment.models[m.id].priceOutPerM);
    }
    expect(routeplan(['--workspace', ws, 'gateway-config', '--policy', policyFile, '--format', 'nginx']).code).toBe(2); // a usage error
    const ok = routeplan(['--workspace', ws, '--json', 'verify-policy', '--policy', policyFile]);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out).onnxScorer).toMatchObject({ encoding: 'file', sha256: policy.predictor.onnx.sha256 });
    writeFileSync(join(outDir, 'scorer.onnx'), Buffer.from('not the head'));
    const bad = routeplan(['--workspace', ws, 'verify-policy', '--policy', policyFile]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/ONNX scorer sha256 mismatch/);
    const list = routeplan(['--workspace', ws, '--json', 'policies']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out).map((p: any) => p.contentHash)).toEqual([policy.contentHash]);
  });
});

describe('routeplan gateway-config refuses an incomplete deployment and writes nothing', () => {
  const out = () => join(scratch.dir, 'refused.yaml');
  const refuse = (args: string[], message: RegExp, code = 1) => {
    const r = routeplan(['--workspace', ws, 'gateway-config', '--policy', policyFile, '--out', out(), ...args]);
    expect(r.code, r.err).toBe(code);
    expect(r.err).toMatch(message);
    expect(() => readFileSync(out())).toThrow();
  };

  it('names every unmapped and unpriced model without a mapping', () => {
    const r = routeplan(['--workspace', ws, 'gateway-config', '--policy', policyFile, '--format', 'litellm', '--out', out()]);
    expect(r.code).toBe(1);
    for (const m of ['meta/llama-2-70b-chat', 'mistralai/mixtral-8x7b-chat', 'zero-one-ai/Yi-34B-Chat', 'WizardLM/WizardLM-13B-V1.2']) expect(r.err).toContain(m);
    expect(r.err).toMatch(/no token prices for .*gpt-4-1106-preview \(mean realised cost [0-9.]+ USD per query\)/);
    expect(() => readFileSync(out())).toThrow();
  });

  it('refuses a mapping that names a model the policy lacks, a key-less hosted provider, a broken file; usage errors exit 2', () => {
    const base = readFileSync(mapping, 'utf8');
    const write = (name: string, text: string) => {
      const f = join(scratch.dir, name);
      writeFileSync(f, text);
      return f;
    };
    refuse(['--format', 'envoy', '--deployment', write('extra.yaml', `${base}  gpt-5: { provider: openai }\n`)], /names a model the policy does not have: gpt-5/);
    refuse(['--format', 'envoy', '--deployment', write('nokey.yaml', base.replace('    apiKey: { secret: together-api-key, env: TOGETHER_API_KEY }\n    priceInPerM: 0.9', '    priceInPerM: 0.9'))], /no key reference for meta\/llama-2-70b-chat \(provider openai-compatible\)/);
    refuse(['--format', 'vllm-sr', '--deployment', write('typo.yaml', base.replace('provider: vllm', 'provider: vlm'))], /models\.WizardLM\/WizardLM-13B-V1\.2\.provider/);
    refuse(['--format', 'vllm-sr', '--deployment', write('url.yaml', base.replace('https://api.together.xyz/v1', 'api.together.xyz'))], /endpoint: must be an http\(s\) URL/);
    refuse(['--format', 'nginx', '--deployment', mapping], /nginx/, 2);
    refuse(['--format', 'envoy', '--deployment', join(scratch.dir, 'missing.yaml')], /cannot read deployment mapping/);
  });
});

describe('routeplan serve-router', () => {
  it('serves the policy on loopback (--json prints its url), answers a decision, and stops on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(repoRoot, 'bin/routeplan.js'), '--workspace', ws, '--json', 'serve-router', '--policy', policyFile, '--port', '0'], { cwd: repoRoot, env: { ...process.env, ROUTEPLAN_WORKSPACE: '' } });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d) => resolve(String(d)));
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const { url, mode } = JSON.parse(line);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(mode).toBe('decide only');
      const r = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'Write a python function to reverse a list.' }] }) });
      expect(r.status).toBe(200);
      const body = await r.json();
      expect(r.headers.get('x-routeplan-model')).toBe(body.model);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a policy no trusted key signed, like route (exit 1, nothing served)', () => {
    const r = routeplan(['serve-router', '--policy', policyFile, '--port', '0'], undefined, { ROUTEPLAN_WORKSPACE: '', ROUTEPLAN_TRUSTED_KEYS: '' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/trusted|signed/i);
  });

  it('refuses to bind beyond loopback without a token, and an unset --token-env (exit 1, nothing served)', () => {
    const open = routeplan(['--workspace', ws, 'serve-router', '--policy', policyFile, '--host', '0.0.0.0', '--port', '0']);
    expect(open.code).toBe(1);
    expect(open.err).toMatch(/not a loopback address/);
    const unset = routeplan(['--workspace', ws, 'serve-router', '--policy', policyFile, '--token-env', 'ROUTEPLAN_NO_SUCH_TOKEN']);
    expect(unset.code).toBe(1);
    expect(unset.err).toMatch(/ROUTEPLAN_NO_SUCH_TOKEN: the variable is not set/);
  });
});
