import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIRST } from '../sequencer';

describe('the test sequencer', () => {
  it('names only files that exist (a renamed slow file would silently lose its early start)', () => {
    expect(FIRST.filter((f) => !existsSync(f))).toEqual([]);
  });
});
