import { describe, expect, it } from 'vitest';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../helpers/engine';
import { lastSession, saveSession, sessionsFile } from '../../src/main/server/serve-session';

describe('the address a workspace was last served at', () => {
  it('is kept per workspace in a file only the user can read, and ignored when damaged', () => {
    const { dir, cleanup } = scratchDir();
    const file = sessionsFile(join(dir, 'config'));
    const token = 'x'.repeat(32);
    expect(lastSession(file, join(dir, 'a.sqlite'))).toBeNull();
    saveSession(file, join(dir, 'a.sqlite'), { port: 41234, token });
    saveSession(file, join(dir, 'b.sqlite'), { port: 41235, token: 'y'.repeat(32) });
    expect(lastSession(file, join(dir, 'a.sqlite'))).toEqual({ port: 41234, token });
    expect(lastSession(file, join(dir, 'b.sqlite'))?.port).toBe(41235);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, '{"broken');
    expect(lastSession(file, join(dir, 'a.sqlite'))).toBeNull();
    writeFileSync(file, JSON.stringify({ [join(dir, 'a.sqlite')]: { port: 99999, token, savedAt: '' } }));
    expect(lastSession(file, join(dir, 'a.sqlite'))).toBeNull();
    cleanup();
  });
});
