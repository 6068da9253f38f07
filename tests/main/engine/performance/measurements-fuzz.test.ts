import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toFailure } from '../../../../src/shared/errors';
import { memoryEngine, repoRoot, scratchDir } from '../../../helpers/engine';
import { mutant } from '../../../helpers/mutate';

// Broken benchmark files (bytes flipped, truncated, re-encoded, huge fields, deep nesting, odd
// numbers…) through perf import: every outcome is an import or a refusal with a stable code (never
// an internal error), and a refusal leaves the stored measurements exactly as they were.
const seeds = [
  resolve(repoRoot, '../shared/data/perf/sample-vllm-nerdalert-llmd-L40S-Llama-3.2-3B.json'),
  ...['profile_export_genai_perf.json', 'profile_export_genai_perf.csv', 'profile_export_aiperf.json', 'profile_export_aiperf.csv', 'plain.csv'].map((f) => join(repoRoot, 'tests/fixtures/perf-measurements', f)),
];
const PER_SEED = 25;
const scratch = scratchDir('routeplan-perf-fuzz-');
afterAll(() => scratch.cleanup());

describe('perf import fuzz', () => {
  it(`${seeds.length * PER_SEED} mutated files: imported or refused with FILE_FORMAT / INVALID_INPUT / CONFLICT, nothing written on refusal`, async () => {
    const engine = memoryEngine();
    const flags = { model: 'Llama-3.1-8B', gpu: 'L40S', gpus: 1, precision: 'bf16', engine: 'vllm', concurrency: 4 };
    const codes: Record<string, number> = {};
    for (const [s, seed] of seeds.entries()) {
      const original = readFileSync(seed);
      for (let i = 0; i < PER_SEED; i++) {
        const { bytes, applied } = mutant(original, 27_000 + s * 1000 + i, seed.endsWith('.json'));
        const file = join(scratch.dir, `m${s}-${i}${seed.slice(seed.lastIndexOf('.'))}`);
        writeFileSync(file, bytes);
        const before = JSON.stringify(await engine.call('performance.listMeasurements', {}));
        try {
          await engine.call('performance.importMeasurements', { files: [file], ...flags });
          codes.ok = (codes.ok ?? 0) + 1;
        } catch (err) {
          const f = toFailure(err);
          expect(['FILE_FORMAT', 'INVALID_INPUT', 'CONFLICT'], `${seed} ${applied.join('+')}: ${f.code} ${f.message}`).toContain(f.code);
          codes[f.code] = (codes[f.code] ?? 0) + 1;
          expect(JSON.stringify(await engine.call('performance.listMeasurements', {}))).toBe(before);
        }
      }
    }
    // Both outcomes occur: the corpus is neither all-harmless nor all-fatal.
    expect(codes.ok).toBeGreaterThan(0);
    expect(codes.FILE_FORMAT).toBeGreaterThan(0);
    engine.close();
  });
});
