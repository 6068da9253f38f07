import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DecisionSpool } from '../../../src/main/cli/decision-spool';
import { ownProcessTag } from '../../../src/main/engine/jobs/process-identity';
import { repoRoot, scratchDir } from '../../helpers/engine';

// route --on-error fail holds its decisions in a spool folder; a killed route must not leave it forever.
const scratch = scratchDir('routeplan-spool-');
afterAll(() => scratch.cleanup());
const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default: never a live process
const overMemory = 'x'.repeat(5 << 20); // past the 4 MiB held in memory: the spool opens its file

describe('decision spool folders', () => {
  it("carry the process's pid and start time, and a new spool sweeps those of gone processes (as import staging is swept)", () => {
    const dir = join(scratch.dir, 'sweep');
    mkdirSync(dir);
    const gone = `routeplan-route-${deadPid}-77-abc`;
    const reused = `routeplan-route-${process.pid}-1-abc`; // our pid, another start time: a process that is gone
    const live = `routeplan-route-${ownProcessTag()}-abc`;
    for (const d of [gone, reused, live]) {
      mkdirSync(join(dir, d));
      writeFileSync(join(dir, d, 'decisions.jsonl'), '{}\n');
    }
    const spool = new DecisionSpool(dir);
    expect(readdirSync(dir).sort()).toEqual([live]);
    spool.write(overMemory);
    const own = readdirSync(dir).filter((d) => d !== live);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatch(new RegExp(`^routeplan-route-${ownProcessTag()}-`));
    spool.dispose();
    expect(readdirSync(dir)).toEqual([live]);
  });

  it('is removed when the process exits without reaching dispose (process.exit: a second stop signal, a closed stdout)', () => {
    const dir = join(scratch.dir, 'exit');
    mkdirSync(dir);
    const script = `import { DecisionSpool } from ${JSON.stringify(join(repoRoot, 'src/main/cli/decision-spool.ts'))};
      const spool = new DecisionSpool(${JSON.stringify(dir)});
      spool.write('x'.repeat(5 << 20));
      if (process.argv[2] === 'check') console.log(JSON.stringify(require('node:fs').readdirSync(${JSON.stringify(dir)})));
      process.exit(0);`;
    const file = join(scratch.dir, 'spool-exit.mts');
    writeFileSync(file, script.replace("require('node:fs')", '(await import("node:fs"))'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', file, 'check'], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(1); // the spool file existed while it ran
    expect(readdirSync(dir)).toEqual([]);
  });
});
