import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/engine';
import { ensureBuilt, runCli } from '../helpers/cli';

// issue 32 item 3: a command that was not told which workspace to use says which one it used, and a
// read-only command never creates a workspace (or its folder) on a mistyped path.
const scratch = scratchDir('routeplan-ws-choice-');
const appData = join(scratch.dir, 'config');
const defaultWs = join(appData, 'routeplan', 'workspace.sqlite');
const env = () => {
  const e: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: appData };
  delete e.ROUTEPLAN_WORKSPACE;
  return e;
};
const routeplan = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { env: { ...env(), ...extra } });

beforeAll(ensureBuilt);
afterAll(() => scratch.cleanup());

describe('read-only commands on a missing workspace', () => {
  it.each([['datasets'], ['info'], ['predictors'], ['policies'], ['inventory'], ['scenarios', 'list']])('%s refuses, naming the path, and creates nothing', (...cmd) => {
    const typo = join(scratch.dir, 'tpyo', 'plans.sqlite');
    const r = routeplan([...cmd, '--workspace', typo, '--json']);
    expect(r.code).toBe(1);
    expect(r.json().error).toMatchObject({ code: 'NOT_FOUND', details: { path: typo } });
    expect(r.err).toContain(typo);
    expect(existsSync(join(scratch.dir, 'tpyo'))).toBe(false);
  });

  it('the app-data default is not created by a read-only command either', () => {
    const r = routeplan(['datasets']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(defaultWs);
    expect(existsSync(appData)).toBe(false);
  });
});

describe('a command without --workspace names the workspace it used', () => {
  it('on stderr and as the `workspace` field of a --json object', () => {
    const made = routeplan(['demo', '--queries', '200', '--json']);
    expect(made.code, made.err).toBe(0);
    expect(made.err).toContain(`routeplan: workspace ${defaultWs} (the app-data default`);
    expect(made.json()).toMatchObject({ workspace: defaultWs, queries: 200 });
    const info = routeplan(['info', '--json']);
    expect(info.json()).toMatchObject({ workspace: defaultWs, datasets: 1 });
    // a list keeps its shape; stderr still says where it came from
    const list = routeplan(['datasets', '--json']);
    expect(Array.isArray(list.json())).toBe(true);
    expect(list.err).toContain(defaultWs);
  });

  it('says when the choice came from $ROUTEPLAN_WORKSPACE', () => {
    const r = routeplan(['info'], { ROUTEPLAN_WORKSPACE: defaultWs });
    expect(r.code).toBe(0);
    expect(r.err).toContain(`routeplan: workspace ${defaultWs} (from $ROUTEPLAN_WORKSPACE)`);
  });

  it('says nothing when --workspace names it, and adds no field', () => {
    const r = routeplan(['info', '--workspace', defaultWs, '--json']);
    expect(r.err).toBe('');
    expect(r.json().workspace).toBeUndefined();
  });

  it('a stored thing that is missing names the workspace searched and the command that lists what is there', () => {
    const r = routeplan(['evaluate', '--predictor', '99', '--test', '1', '--json']);
    expect(r.code).toBe(1);
    const e = r.json().error;
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain(defaultWs);
    expect(e.message).toContain('`routeplan predictors`');
    expect(readdirSync(join(appData, 'routeplan')).filter((f) => f.endsWith('.sqlite'))).toEqual(['workspace.sqlite']);
  });
});
