import { describe, expect, it } from 'vitest';
import { parseIso, readTimestamp, timestampKind } from '../../../../src/main/engine/demand/timestamps';

describe('timestamps', () => {
  it('reads a sequence of ISO times, with and without fractions and offsets, exactly as one at a time', () => {
    const seq = [
      '2024-05-10 00:00:00.009930+00:00',
      '2024-05-10 00:00:00.5+00:00',
      '2024-05-10 00:00:00+00:00',
      '2024-05-10 00:00:00.25+02:00',
      '2024-05-10 00:00:00.25',
      '2024-05-10 00:00:00',
      '2024-05-10T00:00:00.125Z',
      '2024-05-10 00:00:01.0000001',
    ];
    for (const text of [...seq, ...seq.reverse()]) expect(readTimestamp('iso', text, 'f', 2, 'ts')).toBe(parseIso(text));
    expect(parseIso('2024-05-10 00:00:00.25+02:00')).toBe(Date.UTC(2024, 4, 9, 22) / 1000 + 0.25);
    expect(parseIso('2023-11-16 18:15:46.6805900')).toBeCloseTo(Date.UTC(2023, 10, 16, 18, 15, 46) / 1000 + 0.68059, 6);
  });

  it('refuses a malformed time after a good one with the same second', () => {
    readTimestamp('iso', '2024-05-10 00:00:00.1', 'f', 2, 'ts');
    expect(() => readTimestamp('iso', '2024-05-10 00:00:00.', 'f', 3, 'ts')).toThrow(/row 3, column "ts"/);
    expect(() => readTimestamp('iso', '2024-05-10 00:00:00.1x', 'f', 4, 'ts')).toThrow(/row 4/);
  });

  it('tells epoch milliseconds, epoch seconds and relative seconds apart by magnitude', () => {
    expect(timestampKind(1_736_153_000_000)).toBe('epoch-ms');
    expect(timestampKind('1736153000.5')).toBe('epoch-s');
    expect(timestampKind(3600)).toBe('relative-s');
    expect(timestampKind(3600, 'ms')).toBe('relative-ms');
    expect(timestampKind('2024-05-10 00:00:00')).toBe('iso');
    expect(timestampKind('tomorrow')).toBeNull();
  });
});
