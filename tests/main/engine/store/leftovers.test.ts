import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processStartTime } from '../../../../src/main/engine/jobs/process-identity';
import { writeExportFolder } from '../../../../src/main/engine/policy/export-folder';
import { openDatabase } from '../../../../src/main/engine/store/database';
import { markInterruptedJobs } from '../../../../src/main/engine/store/jobs';
import { sweepStagingFolders } from '../../../../src/main/engine/store/staging';
import { scratchDir } from '../../../helpers/engine';

const scratch = scratchDir('routeplan-leftovers-');
afterAll(() => scratch.cleanup());

/** A live process that is not ours, and a pid that is certainly gone. */
async function liveStranger() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  return child;
}
const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default: never a live process

describe('what a killed process leaves behind is recognised', () => {
  it('a running journal row whose pid now belongs to another process (other start time) is marked interrupted', async () => {
    const child = await liveStranger();
    try {
      const db = openDatabase(':memory:');
      const insert = db.prepare("INSERT INTO jobs (id, method, state, input, pid, pid_start, started_at) VALUES (?, 'x', 'running', 'null', ?, ?, '2026-01-01')");
      insert.run('reused', child.pid, '1'); // the pid was recorded for a process started at tick 1
      insert.run('alive', child.pid, processStartTime(child.pid!));
      insert.run('gone', deadPid, null);
      expect(markInterruptedJobs(db, new Date())).toBe(2);
      expect(db.prepare("SELECT id FROM jobs WHERE state = 'running'").pluck().all()).toEqual(['alive']);
      db.close();
    } finally {
      child.kill();
    }
  });

  it('import staging folders of gone processes are swept, live ones kept', async () => {
    const child = await liveStranger();
    try {
      const dir = join(scratch.dir, 'tmp');
      mkdirSync(dir);
      const gone = join(dir, `routeplan-import-${deadPid}-77-abc`);
      const reused = join(dir, `routeplan-import-${child.pid}-1-abc`);
      const live = join(dir, `routeplan-import-${child.pid}-${processStartTime(child.pid!)}-abc`);
      for (const d of [gone, reused, live]) mkdirSync(d);
      writeFileSync(join(dir, 'unrelated'), 'x');
      expect(sweepStagingFolders(dir)).toBe(2);
      expect(readdirSync(dir).sort()).toEqual([`routeplan-import-${child.pid}-${processStartTime(child.pid!)}-abc`, 'unrelated']);
    } finally {
      child.kill();
    }
  });

  it('an export folder is replaced whole; staging is removed when the commit fails, swept when its process died', () => {
    const out = join(scratch.dir, 'export');
    writeExportFolder(out, [['policy.json', 'one'], ['a.yaml', 'a1']], () => 1);
    expect(readFileSync(join(out, 'policy.json'), 'utf8')).toBe('one');
    expect(() => writeExportFolder(out, [['policy.json', 'two'], ['a.yaml', 'a2']], () => { throw new Error('commit failed'); })).toThrow('commit failed');
    expect(readFileSync(join(out, 'policy.json'), 'utf8')).toBe('one');
    expect(readdirSync(scratch.dir).filter((f) => f.includes('routeplan-'))).toEqual([]);
    // a killed exporter's staging folder, and one that died between the two renames (the old export moved aside, no target)
    mkdirSync(join(scratch.dir, `.export.routeplan-staging-${deadPid}-5`));
    writeExportFolder(out, [['policy.json', 'three']], () => 3, { replaceable: ['a.yaml'] });
    expect(readdirSync(out)).toEqual(['policy.json']);
    expect(readdirSync(scratch.dir).filter((f) => f.includes('routeplan-'))).toEqual([]);
    const other = join(scratch.dir, 'other');
    mkdirSync(join(scratch.dir, `.other.routeplan-old-${deadPid}-5`));
    writeFileSync(join(scratch.dir, `.other.routeplan-old-${deadPid}-5`, 'policy.json'), 'previous');
    expect(() => writeExportFolder(other, [['policy.json', 'new']], () => { throw new Error('stop'); })).toThrow('stop');
    expect(readFileSync(join(other, 'policy.json'), 'utf8')).toBe('previous');
    // never deletes what an export did not write
    writeFileSync(join(other, 'notes.txt'), 'mine');
    expect(() => writeExportFolder(other, [['policy.json', 'new']], () => 4)).toThrow(/not part of a policy export \(notes.txt\)/);
    expect(existsSync(join(other, 'notes.txt'))).toBe(true);
  });
});
