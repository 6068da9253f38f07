import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutFile } from '../../../src/main/cli/out-file';
import { writeExportFolder } from '../../../src/main/engine/policy/export-folder';
import { scratchDir } from '../../helpers/engine';

// --out targets (gateway-config, plan) and export folders (export-policy) are written by a rename;
// a target that is not what a rename may replace must be refused by name and left as it was.
const scratch = scratchDir('routeplan-out-file-');
afterAll(() => scratch.cleanup());

describe('--out targets', () => {
  it.skipIf(!existsSync('/dev/full'))('a device (/dev/full) is refused naming it, and stays a device: nothing is written or renamed', () => {
    expect(() => writeOutFile('/dev/full', 'model_list: []\n')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/--out \/dev\/full: it exists and is a device/) }));
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((f) => f.startsWith('.full.'))).toEqual([]);
  });

  it('a folder is refused naming it and left untouched; a regular file is replaced whole; a link to a file keeps its link', () => {
    const folder = join(scratch.dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'keep'), 'k');
    expect(() => writeOutFile(folder, 'x')).toThrow(/it exists and is a folder/);
    expect(readdirSync(folder)).toEqual(['keep']);
    const file = join(scratch.dir, 'plan.json');
    writeFileSync(file, 'old');
    writeOutFile(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    const link = join(scratch.dir, 'link.json');
    symlinkSync(file, link);
    writeOutFile(link, 'newer');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('newer');
    expect(readdirSync(scratch.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!existsSync('/dev/null'))('an export folder that is a device or a regular file is refused before anything is committed', () => {
    const file = join(scratch.dir, 'not-a-folder');
    writeFileSync(file, 'mine');
    for (const target of ['/dev/null', file]) {
      let committed = false;
      expect(() => writeExportFolder(target, [['policy.json', '{}']], () => (committed = true))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(`${target} exists and is`) }));
      expect(committed).toBe(false);
    }
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });
});
