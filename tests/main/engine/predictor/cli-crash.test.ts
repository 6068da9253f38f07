// Slow: kills a real training process mid-way and reopens the workspace.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/main/engine/store/database';
import type { PredictionResult, TrainResult } from '../../../../src/shared/contract';
import { fileEngine, repoRoot, routerbenchDir, scratchDir } from '../../../helpers/engine';

// The built CLI, as a user runs it; rebuilt when the build predates the predictor commands.
const cli = join(repoRoot, 'bin/routeplan.js');
function routeplan(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) };
}

const scratch = scratchDir('routeplan-predictor-cli-');
const ws = join(scratch.dir, 'w.sqlite');
let datasetId = 0;

beforeAll(async () => {
  if (routeplan('train', '--help').code !== 0) spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
  const engine = fileEngine(ws);
  const r = await engine.call('data.import', { files: [join(routerbenchDir, 'mbpp_train.csv'), join(routerbenchDir, 'winogrande_train.csv')] });
  datasetId = r.datasetId!;
  engine.close();
});
afterAll(() => scratch.cleanup());

const countPredictors = () => {
  const db = openDatabase(ws);
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM predictors').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('routeplan train / predict / predictors', () => {
  it('train --json prints the predictor id and test metrics; predict and predictors read it back', () => {
    const r = routeplan('train', '--workspace', ws, '--dataset', String(datasetId), '--ensemble', '2', '--seed', '3', '--json');
    expect(r.code, r.err).toBe(0);
    const t = r.json() as TrainResult;
    expect(t.id).toBeGreaterThan(0);
    expect(t.metrics.after.auc).toBeGreaterThan(0.5);
    expect(t.metrics.after.ece).toBeLessThan(0.1);
    const p = routeplan('predict', '--workspace', ws, '--predictor', String(t.id), '--text', 'Write a function to add two numbers.', '--json');
    expect(p.code, p.err).toBe(0);
    const pr = p.json() as PredictionResult;
    expect(pr.rows[0].p).toHaveLength(11);
    expect(pr.rows[0].lower).toHaveLength(11);
    const l = routeplan('predictors', '--workspace', ws, '--json');
    expect(l.json().map((x: { id: number }) => x.id)).toEqual([t.id]);
    const bad = routeplan('train', '--workspace', ws, '--dataset', 'no-such-dataset', '--json');
    expect(bad.code).toBe(1);
    expect(bad.json().error.code).toBe('NOT_FOUND');
  });

  it('a process killed mid-training leaves a workspace that opens, passes integrity_check and holds no partial predictor', async () => {
    const before = countPredictors();
    const child = spawn(process.execPath, [cli, 'train', '--workspace', ws, '--dataset', String(datasetId), '--ensemble', '40'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    // Kill once training is under way: the worker threads have reported an epoch, or after 20 s.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 20_000);
      let seen = '';
      child.stderr!.on('data', (d) => {
        seen += String(d);
        if (/train/.test(seen)) {
          clearTimeout(timer);
          setTimeout(resolve, 500);
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const db = openDatabase(ws);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((db.prepare('SELECT COUNT(*) AS n FROM predictors').get() as { n: number }).n).toBe(before);
    } finally {
      db.close();
    }
  });
});
