import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ensureBuilt, runCli, writeInput } from '../helpers/cli';
import { scratchDir } from '../helpers/engine';

// `routeplan gpus import / gpus / gpus remove` on a workspace file, and `perf estimate --workspace`
// reading the stored specs.
const env = { ...process.env, ROUTEPLAN_WORKSPACE: '' };
const scratch = scratchDir('routeplan-cli-gpus-');
const ws = join(scratch.dir, 'ws.routeplan');
const cli = (args: string[]) => runCli(['--workspace', ws, ...args], { env });
const header = 'name,memoryGb,hbmGBps,bf16Tflops,fp8Tflops,int8Tops,interconnectGBps,source';

beforeAll(() => ensureBuilt());
afterAll(() => scratch.cleanup());

describe('routeplan gpus import', () => {
  it('stores a file, lists each entry with where it came from, and estimates on it', () => {
    const bad = writeInput(scratch.dir, 'bad.csv', `${header}\nRTX-6000-Ada,48,960,364.2,728.5,728.5,32,datasheet\nL40S,48,,362,733,733,32,x\n`);
    const refused = cli(['gpus', 'import', bad, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json().error).toMatchObject({ code: 'FILE_FORMAT', details: { row: 3, column: 'hbmGBps' } });
    expect(cli(['gpus', '--json']).json().filter((g: { origin: string }) => g.origin !== 'built-in')).toEqual([]);

    const good = writeInput(scratch.dir, 'good.csv', `${header}\nRTX-6000-Ada,48,960,364.2,728.5,728.5,32,datasheet\n`);
    const r = cli(['gpus', 'import', good, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.json().gpus).toEqual([{ name: 'RTX-6000-Ada', replaces: null, replacedWorkspaceEntry: false }]);
    const listed = cli(['gpus']);
    expect(listed.out).toMatch(/RTX-6000-Ada\s+workspace\s+48\s+960/);
    const est = cli(['perf', 'estimate', '--model', 'Llama-2-7b', '--gpu', 'RTX-6000-Ada', '--gpus', '1', '--input-tokens', '500', '--output-tokens', '100', '--concurrency', '1', '--json']);
    expect(est.code, est.err).toBe(0);
    expect(est.json().deployment.gpuSource).toBe('datasheet');

    expect(cli(['gpus', 'remove', 'RTX-6000-Ada']).code).toBe(0);
    const gone = cli(['perf', 'estimate', '--model', 'Llama-2-7b', '--gpu', 'RTX-6000-Ada', '--gpus', '1', '--input-tokens', '500', '--output-tokens', '100', '--concurrency', '1', '--json']);
    expect(gone.code).toBe(1);
    expect(gone.json().error.code).toBe('NOT_FOUND');
  });
});
