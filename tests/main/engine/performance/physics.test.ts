import { describe, expect, it } from 'vitest';
import { checkTypedProfile } from '../../../../src/main/engine/performance/physics';

describe('typed-in profile physics check', () => {
  it('flags the demo profiles that decode faster than the L40S can read the weights', () => {
    const f = checkTypedProfile({ model: 'Qwen-14B', gpu: 'L40S', gpusPerInstance: 1, slotsPerInstance: 16, decodeTokensPerS: 45, prefillTokensPerS: null });
    expect(f).toHaveLength(1);
    expect(f[0].kind).toBe('decode-bandwidth');
    expect(f[0].share).toBeCloseTo(1.48, 2);
    expect(f[0].message).toMatch(/148%/);
  });

  it('flags prefill summed over slots beyond peak compute, and passes a possible profile', () => {
    const f = checkTypedProfile({ model: 'Llama-2-7b', gpu: 'A100-80GB', gpusPerInstance: 1, slotsPerInstance: 16, decodeTokensPerS: 90, prefillTokensPerS: 7000 });
    expect(f.map((x) => x.kind)).toEqual(['prefill-compute']);
    expect(checkTypedProfile({ model: 'Llama-2-70b', gpu: 'H100-80GB', gpusPerInstance: 4, slotsPerInstance: 16, decodeTokensPerS: 30, prefillTokensPerS: 200 })).toEqual([]);
  });
});
