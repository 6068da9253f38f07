import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, scratchDir } from '../helpers/engine';
import { readRouterbench, testFiles, trainFiles } from '../helpers/routerbench';

function routeplan(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/routeplan.js'), ...args], { encoding: 'utf8', cwd: repoRoot, input, env: { ...process.env, ROUTEPLAN_WORKSPACE: '' }, maxBuffer: 64 << 20 });
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
      const r = routeplan(['route', '--policy', policyFile, ...args], lines);
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
    let r = routeplan(['route', '--policy', tampered], lines);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/content hash mismatch/);
    const v2 = join(scratch.dir, 'v2.json');
    writeFileSync(v2, text.replace('"version": 1', '"version": 2'));
    r = routeplan(['route', '--policy', v2], lines);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/unknown policy version 2/);
    r = routeplan(['route', '--policy', policyFile], '{"text":"a"}\n{"text":"b","models":["gpt-9"]}\n');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/row 2.*no model "gpt-9"/);
    r = routeplan(['--json', 'route', '--policy', policyFile], '{"text":"a"}\n{"text":\n');
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
    const strict = routeplan(['route', '--policy', policyFile, '--max-line-bytes', '20000'], input);
    expect(strict.code).toBe(1);
    expect(strict.out).toBe('');
    const r = routeplan(['route', '--policy', policyFile, '--on-error', 'skip', '--max-line-bytes', '20000'], input);
    expect(r.code, r.err).toBe(0);
    const decisions = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(decisions).toHaveLength(good.length);
    expect(decisions.map((d) => d.id)).toEqual(good.map((l) => JSON.parse(l).id));
    for (const [row, , reason] of bad) expect(r.err).toMatch(new RegExp(`skipped stdin row ${row}: .*${reason.source}`));
    expect(r.err).toMatch(new RegExp(`routed ${good.length} queries .*skipped ${bad.length} bad lines`));
    const errors = join(scratch.dir, 'errors.jsonl');
    const withFile = routeplan(['route', '--policy', policyFile, '--on-error', 'skip', '--max-line-bytes', '20000', '--errors', errors], input);
    expect(withFile.code).toBe(0);
    expect(withFile.out).toBe(r.out);
    const listed = readFileSync(errors, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(listed.map((e) => e.row)).toEqual(bad.map(([row]) => row));
    listed.forEach((e, i) => expect(e.reason).toMatch(bad[i][2]));
    expect(withFile.err).not.toMatch(/skipped stdin row/);
    // usage errors exit 2
    expect(routeplan(['route', '--policy', policyFile, '--on-error', 'ignore'], input).code).toBe(2);
  });
});

describe('routeplan route --budget-confidence', () => {
  it('holds each batch at the confidence (the policy carries cost variances), refuses a bad one and a non-batch strategy', () => {
    const test = readRouterbench([testFiles[1]]);
    const input = test.texts.map((t, i) => JSON.stringify({ id: test.queryIds[i], text: t, task: test.tasks[i] })).join('\n') + '\n';
    const held = routeplan(['route', '--policy', policyFile, '--batch-size', '50', '--budget-confidence', '0.95'], input);
    expect(held.code, held.err).toBe(0);
    expect(held.out.trim().split('\n')).toHaveLength(test.texts.length);
    expect(JSON.parse(readFileSync(policyFile, 'utf8')).costModel.variance.sdScale).toBeGreaterThanOrEqual(1);
    expect(routeplan(['route', '--policy', policyFile, '--strategy', 'online', '--budget-confidence', '0.95'], input).code).toBe(2);
    const bad = routeplan(['route', '--policy', policyFile, '--budget-confidence', '1.5'], input);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--budget-confidence must be in \(0, 1\)/);
  });
});

describe('routeplan gateway-config and policies', () => {
  it('prints each gateway config, equal to the exported file; LiteLLM and vLLM SR carry every model with the mapping\'s prices', () => {
    const policy = JSON.parse(readFileSync(policyFile, 'utf8'));
    const deployment = parse(readFileSync(mapping, 'utf8'));
    for (const [format, file] of [['litellm', 'litellm-config.yaml'], ['vllm-sr', 'vllm-semantic-router-config.yaml'], ['envoy', 'envoy-ai-gateway.yaml']]) {
      const r = routeplan(['gateway-config', '--policy', policyFile, '--format', format, '--deployment', mapping]);
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
    expect(routeplan(['gateway-config', '--policy', policyFile, '--format', 'nginx']).code).toBe(2); // a usage error
    const ok = routeplan(['--json', 'verify-policy', '--policy', policyFile]);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out).onnxScorer).toMatchObject({ encoding: 'file', sha256: policy.predictor.onnx.sha256 });
    writeFileSync(join(outDir, 'scorer.onnx'), Buffer.from('not the head'));
    const bad = routeplan(['verify-policy', '--policy', policyFile]);
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
    const r = routeplan(['gateway-config', '--policy', policyFile, '--out', out(), ...args]);
    expect(r.code, r.err).toBe(code);
    expect(r.err).toMatch(message);
    expect(() => readFileSync(out())).toThrow();
  };

  it('names every unmapped and unpriced model without a mapping', () => {
    const r = routeplan(['gateway-config', '--policy', policyFile, '--format', 'litellm', '--out', out()]);
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
    const child = spawn(process.execPath, [join(repoRoot, 'bin/routeplan.js'), '--json', 'serve-router', '--policy', policyFile, '--port', '0'], { cwd: repoRoot, env: { ...process.env, ROUTEPLAN_WORKSPACE: '' } });
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

  it('refuses to bind beyond loopback without a token, and an unset --token-env (exit 1, nothing served)', () => {
    const open = routeplan(['serve-router', '--policy', policyFile, '--host', '0.0.0.0', '--port', '0']);
    expect(open.code).toBe(1);
    expect(open.err).toMatch(/not a loopback address/);
    const unset = routeplan(['serve-router', '--policy', policyFile, '--token-env', 'ROUTEPLAN_NO_SUCH_TOKEN']);
    expect(unset.code).toBe(1);
    expect(unset.err).toMatch(/ROUTEPLAN_NO_SUCH_TOKEN: the variable is not set/);
  });
});
