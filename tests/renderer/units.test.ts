import { describe, expect, it } from 'vitest';
import { count, duration, percent, queriesPerSecond, shortenPaths, usd, usdPerHour } from '../../src/renderer/src/format/units';
import { toCsv } from '../../src/renderer/src/format/csv';

describe('number formatting with units', () => {
  it('prints every quantity with its unit and missing values as a dash', () => {
    expect(percent(0.8603)).toBe('86.0 %');
    expect(usdPerHour(2.5)).toBe('$2.50/h');
    expect(queriesPerSecond(12.345)).toBe('12.3 queries/s');
    expect(queriesPerSecond(1234.4)).toBe('1,234 queries/s');
    expect(count(1234567)).toBe('1,234,567');
    expect(duration(1500)).toBe('1.5 s');
    expect(duration(125_000)).toBe('2 min 5 s');
    for (const f of [percent, usd, usdPerHour, queriesPerSecond, count]) expect(f(null)).toBe('—'), expect(f(Number.NaN)).toBe('—');
  });

  it('keeps three significant digits for per-query costs', () => {
    expect(usd(0.00007042)).toBe('$0.0000704');
    expect(usd(0.0035)).toBe('$0.0035');
    expect(usd(12)).toBe('$12.00');
    expect(usd(25_300.4)).toBe('$25,300');
  });

  it('shortens paths in messages to file names', () => {
    expect(shortenPaths('/tmp/routeplan-uploads-x/abc/broken.csv, row 4, column "score": bad')).toBe('broken.csv, row 4, column "score": bad');
    expect(shortenPaths('C:\\Users\\me\\data.csv: empty')).toBe('data.csv: empty');
  });

  it('writes CSV that round-trips quotes, commas and missing values', () => {
    expect(toCsv(['model', 'acc'], [['a,"b"', 0.5], ['c', null], ['d', Number.NaN]])).toBe('model,acc\n"a,""b""",0.5\nc,\nd,\n');
    // formula-leading text (a model or task name from a file) is neutralised; numbers stay numbers
    expect(toCsv(['model', 'delta'], [['=HYPERLINK("http://x")', -0.5], ['+1', 1], ['-2+3', 2], ['@SUM(A1)', 3], ['\tcmd', 4], ['ok', -1]])).toBe(
      'model,delta\n"\'=HYPERLINK(""http://x"")",-0.5\n\'+1,1\n\'-2+3,2\n\'@SUM(A1),3\n\'\tcmd,4\nok,-1\n',
    );
  });
});
