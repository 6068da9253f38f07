import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { quietContext } from '../../../../src/main/engine/jobs/context';
import { importDemand } from '../../../../src/main/engine/demand/import';
import { demandIntervals } from '../../../../src/main/engine/demand/intervals';
import { requestBatches } from '../../../../src/main/engine/demand/stream';
import { repoRoot } from '../../../helpers/engine';

// The public traces in ../shared/data/traces, against the figures their README states.
const traces = resolve(repoRoot, '../shared/data/traces');
const conv = resolve(traces, 'azure2023_AzureLLMInferenceTrace_conv.csv');
const code = resolve(traces, 'azure2023_AzureLLMInferenceTrace_code.csv');
const mooncake = resolve(traces, 'mooncake_conversation_trace.jsonl');

describe('the shared traces import with the README figures', () => {
  it.each([
    [conv, 'azure', 19366, 1155, 211, 1020, 129],
    [code, 'azure', 8819, 2048, 28, 1469, 13],
    [mooncake, 'mooncake', 12031, 12035, 343, null, null],
  ] as const)('%s', async (file, format, rows, inMean, outMean, inMedian, outMedian) => {
    const db = openDatabase(':memory:');
    const r = await importDemand(db, [file], {}, quietContext());
    expect(r.format).toBe(format);
    expect(r.rows).toBe(rows);
    expect(Math.round(r.summary.inputTokens.mean)).toBe(inMean);
    expect(Math.round(r.summary.outputTokens.mean)).toBe(outMean);
    // Quantiles come from quarter-octave histograms: within 9% of the exact median.
    if (inMedian !== null) expect(Math.abs(r.summary.inputTokens.p50 / inMedian - 1)).toBeLessThan(0.09);
    if (outMedian !== null) expect(Math.abs(r.summary.outputTokens.p50 / outMedian - 1)).toBeLessThan(0.09);
    for (const len of [60, 300, 900, 3600]) {
      const iv = demandIntervals(db, r.demandId, len);
      const total = iv.rate.reduce((a, b) => a + b, 0) * len;
      expect(Math.round(total)).toBe(rows);
    }
    let n = 0;
    let prev = -Infinity;
    for (const b of requestBatches(db, r.demandId)) {
      for (const t of b.t) {
        expect(t).toBeGreaterThanOrEqual(prev);
        prev = t;
      }
      n += b.t.length;
    }
    expect(n).toBe(rows);
  });
});
