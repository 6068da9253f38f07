import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ensureBuilt, runCli } from '../helpers/cli';
import { repoRoot } from '../helpers/engine';

const env = { ...process.env, ROUTEPLAN_WORKSPACE: '' };
const perf = (args: string[]) => runCli(['perf', 'estimate', ...args], { env });
const base = ['--gpu', 'H100-80GB', '--input-tokens', '1000', '--output-tokens', '200', '--json'];

beforeAll(() => ensureBuilt());

describe('routeplan perf estimate', () => {
  it('prints the agreed JSON keys, with goodput when an SLO is given', () => {
    const r = perf(['--model', 'Llama-2-70b-hf', '--gpus', '4', ...base, '--rate', '2', '--ttft-p90-ms', '2000', '--tpot-p90-ms', '100']);
    expect(r.code, r.err).toBe(0);
    const j = r.json();
    for (const k of ['outputTokensPerS', 'requestsPerS', 'ttftMs', 'tpotMs', 'maxConcurrency', 'memory', 'goodputRequestsPerS', 'source']) expect(j, k).toHaveProperty(k);
    for (const k of ['mean', 'p50', 'p90', 'p99']) {
      expect(j.ttftMs[k]).toBeGreaterThan(0);
      expect(j.tpotMs[k]).toBeGreaterThan(0);
    }
    for (const k of ['weightsGb', 'kvCacheGb', 'usableGb']) expect(j.memory[k]).toBeGreaterThan(0);
    expect(j.source).toBe('estimated');
    expect(j.goodputRequestsPerS).toBeGreaterThan(0);
    const max = perf(['--model', 'Llama-2-70b-hf', '--gpus', '4', ...base, '--max-throughput']).json();
    expect(j.goodputRequestsPerS).toBeLessThanOrEqual(max.requestsPerS);
    expect(max).not.toHaveProperty('goodputRequestsPerS');
  });

  it('reads a config.json path as the model', () => {
    const r = perf(['--model', join(repoRoot, 'tests/fixtures/performance/llama-2-7b-config.json'), '--gpus', '1', ...base, '--concurrency', '8']);
    expect(r.code, r.err).toBe(0);
    expect(r.json().memory.weightsGb).toBeCloseTo(13.5, 0);
  });

  it('refuses 70B BF16 on 2x80 GB (exit 3), an unknown model with near matches and FP8 on A100 (exit 1), and a missing load (exit 1)', () => {
    const tight = perf(['--model', 'Llama-2-70b', '--gpus', '2', ...base, '--concurrency', '4']);
    expect(tight.code).toBe(3);
    expect(tight.json().error.message).toMatch(/GB for weights/);
    const unknown = perf(['--model', 'Lama-2-70', '--gpus', '2', ...base, '--concurrency', '4']);
    expect(unknown.code).toBe(1);
    expect(unknown.json().error.details.nearMatches).toContain('Llama-2-70b');
    const fp8 = perf(['--model', 'Llama-2-7b', '--gpus', '1', '--precision', 'fp8', ...base.map((a) => (a === 'H100-80GB' ? 'A100-80GB' : a)), '--concurrency', '4']);
    expect(fp8.code).toBe(1);
    expect(fp8.json().error.message).toMatch(/no FP8/);
    expect(perf(['--model', 'Llama-2-7b', '--gpus', '1', ...base]).code).toBe(1);
  });
});

describe('routeplan models / gpus', () => {
  it('lists the catalogs with their sources', () => {
    const m = runCli(['models', '--json'], { env });
    expect(m.code, m.err).toBe(0);
    const qwen = m.json().find((x: { name: string }) => x.name === 'Qwen-72B');
    expect(qwen.kvMbPerToken).toBeCloseTo(2.62, 2);
    expect(qwen.source).toMatch(/config\.json$/);
    const g = runCli(['gpus', '--json'], { env });
    expect(g.code, g.err).toBe(0);
    expect(g.json().find((x: { name: string }) => x.name === 'A100-SXM4-80GB').fp8Tflops).toBeNull();
  });
});
