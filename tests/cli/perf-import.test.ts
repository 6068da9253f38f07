import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { ensureBuilt, runCli, writeInput } from '../helpers/cli';
import { repoRoot, scratchDir } from '../helpers/engine';

const env = { ...process.env, ROUTEPLAN_WORKSPACE: '' };
const vllmSample = resolve(repoRoot, '../shared/data/perf/sample-vllm-nerdalert-llmd-L40S-Llama-3.2-3B.json');
const fixture = (f: string) => join(repoRoot, 'tests/fixtures/perf-measurements', f);
const scratch = scratchDir('routeplan-cli-perf-import-');
const ws = join(scratch.dir, 'ws.routeplan');
const cli = (args: string[], workspace = ws) => runCli(['--workspace', workspace, ...args], { env });

beforeAll(() => ensureBuilt());
afterAll(() => scratch.cleanup());

describe('routeplan perf import / perf list', () => {
  it('imports the real vLLM file and a plain CSV, lists them per deployment with provenance and flags', () => {
    const r = cli(['perf', 'import', vllmSample, fixture('plain.csv'), '--precision', 'bf16', '--json']);
    expect(r.code, r.err).toBe(0);
    const imported = r.json();
    expect(imported.map((x: { layout: string; records: number }) => [x.layout, x.records])).toEqual([['vllm-bench-json', 9], ['plain-csv', 6]]);
    const list = cli(['perf', 'list', '--json']);
    expect(list.code, list.err).toBe(0);
    const ds = list.json();
    expect(ds).toHaveLength(2);
    const l40s = ds.find((d: { gpu: string }) => d.gpu === 'L40S');
    expect(l40s).toMatchObject({ points: 9, gpus: 1, precision: 'bf16', engine: 'vllm', rate: { min: 2.5, max: 7.5 }, maxThroughputPoints: 3 });
    expect(l40s.files).toEqual([expect.objectContaining({ fileName: 'sample-vllm-nerdalert-llmd-L40S-Llama-3.2-3B.json', layout: 'vllm-bench-json' })]);
    expect(l40s.flags).toHaveLength(3);
    const h100 = ds.find((d: { gpu: string }) => d.gpu === 'H100-80GB');
    expect(h100).toMatchObject({ points: 6, concurrency: { min: 1, max: 32 }, shapes: [{ inputTokens: 1000, outputTokens: 200 }, { inputTokens: 4000, outputTokens: 200 }] });
    // The human table names the deployments and the flagged points.
    const human = cli(['perf', 'list']);
    expect(human.out).toMatch(/meta-llama\/Llama-3.2-3B-Instruct/);
    expect(human.out).toMatch(/contradicts #/);
  });

  it('perf estimate --workspace answers from the measurements where they cover the deployment', () => {
    const args = ['perf', 'estimate', '--model', 'Llama-3.1-8B', '--gpu', 'H100-80GB', '--gpus', '1', '--precision', 'bf16', '--engine', 'vllm', '--input-tokens', '1000', '--output-tokens', '200', '--json'];
    const measured = cli([...args, '--concurrency', '8']);
    expect(measured.code, measured.err).toBe(0);
    expect(measured.json()).toMatchObject({ source: 'measured', outputTokensPerS: 690.4, ttftMs: { mean: 61.2, p90: 88 }, tpotMs: { mean: 11.5, p90: 12.1 } });
    expect(measured.json().figureSources).toMatchObject({ outputTokensPerS: 'measured', 'ttftMs.p90': 'measured', 'ttftMs.p99': 'fitted' });
    expect(cli([...args, '--concurrency', '64']).json().source).toBe('fitted');
    // Without the workspace: no measurements, the plain estimate.
    expect(runCli([...args, '--concurrency', '8'], { env }).json().source).toBe('estimated');
  });

  it('refuses with exit 1 and writes nothing: unknown layout, negative figure, missing deployment fields, a file imported before', () => {
    const fresh = join(scratch.dir, 'fresh.routeplan');
    const bad = writeInput(scratch.dir, 'bad.json', { hello: 'world' });
    const unknown = cli(['perf', 'import', fixture('plain.csv'), bad, '--json'], fresh);
    expect(unknown.code).toBe(1);
    expect(unknown.json().error.message).toMatch(/Accepted layouts: vllm-bench-json .*genai-perf-json.*aiperf-json.*genai-perf-csv.*aiperf-csv.*plain-csv/);
    const neg = writeInput(scratch.dir, 'neg.csv', 'model,gpu,gpus,precision,engine,input_tokens,output_tokens,concurrency,output_tok_s\nm,L4,1,bf16,vllm,100,100,1,-5\n');
    const negative = cli(['perf', 'import', neg, '--json'], fresh);
    expect(negative.code).toBe(1);
    expect(negative.json().error.details).toMatchObject({ row: 2, column: 'output_tok_s' });
    const missing = cli(['perf', 'import', fixture('profile_export_genai_perf.csv'), '--gpu', 'L40S', '--json'], fresh);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/model, gpus, precision, engine; give --model --gpus --precision --engine/);
    expect(cli(['perf', 'list', '--json'], fresh).json()).toEqual([]);
    const again = cli(['perf', 'import', vllmSample, '--precision', 'bf16', '--json']);
    expect(again.code).toBe(1);
    expect(again.json().error.code).toBe('CONFLICT');
    expect(cli(['perf', 'list', '--json']).json().reduce((n: number, d: { points: number }) => n + d.points, 0)).toBe(15);
  });

  it('a bad flag value is a usage error (exit 2)', () => {
    expect(cli(['perf', 'import', fixture('plain.csv'), '--gpus', '1.5']).code).toBe(2);
  });
});
