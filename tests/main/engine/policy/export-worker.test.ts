import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../../src/main/engine/engine';
import { parseDeployment } from '../../../../src/main/engine/policy/gateways/deployment';
import type { JobEvent } from '../../../../src/shared/events';
import { repoRoot, scratchDir, testWorkerEntry } from '../../../helpers/engine';
import { trainFiles } from '../../../helpers/routerbench';

// policy.export on a workspace file plans, serialises and stages the policy in a worker thread on
// its own read-only connection; on an in-memory workspace the same code runs on the engine thread.
// Both must write the same files for the same input, the engine must answer other calls while the
// worker works, and a cancelled export must leave neither files nor a row.

const scratch = scratchDir('routeplan-export-worker-');
const wsPath = join(scratch.dir, 'ws.routeplan');
const now = () => new Date('2026-01-02T03:04:05Z');
const deployment = parseDeployment(readFileSync(join(repoRoot, 'tests/fixtures/deployment/routerbench.yaml'), 'utf8'));
const exportInput = (outDir: string) => ({ name: 'wino', predictorId: 1, datasetId: 1, budgetFraction: 0.3, capacity: { 'mistralai/mixtral-8x7b-chat': 20 }, outDir, deployment });

async function trained(engine: Engine): Promise<void> {
  const imported = await engine.call('data.import', { file: trainFiles[2], format: 'wide-csv', name: 'winogrande-train' });
  const predictor = await engine.call('predictor.train', { datasetId: imported.datasetId!, featurizer: 'builtin', ensemble: 3, seed: 3 });
  expect([imported.datasetId, predictor.id]).toEqual([1, 1]);
}

function ended(engine: Engine, jobId: string, onProgress?: (e: Extract<JobEvent, { type: 'progress' }>) => void): Promise<JobEvent> {
  return new Promise((done) => {
    const off = engine.subscribe((e) => {
      if (e.jobId !== jobId) return;
      if (e.type === 'progress') onProgress?.(e);
      else if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') {
        off();
        done(e);
      }
    });
  });
}

/** A policy.json with its signature blanked: the two workspaces sign with their own keys. */
function unsignedText(file: string): string {
  const text = readFileSync(file, 'utf8');
  const { signature } = JSON.parse(text) as { signature: { keyId: string; value: string } };
  return text.replace(signature.value, '').replace(signature.keyId, '');
}

function withFault<T>(point: string, run: () => Promise<T>): Promise<T> {
  process.env.ROUTEPLAN_TEST_FAULT_AT = point;
  process.env.ROUTEPLAN_TEST_FAULT_HOLD_MS = '600000';
  return run().finally(() => {
    delete process.env.ROUTEPLAN_TEST_FAULT_AT;
    delete process.env.ROUTEPLAN_TEST_FAULT_HOLD_MS;
  });
}

describe('policy.export in a worker thread', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = createEngine({ workspacePath: wsPath, worker: testWorkerEntry, now });
    await trained(engine);
  }, 300_000);
  afterAll(() => {
    engine?.close();
    scratch.cleanup();
  });

  it('same input and seed: the worker (file workspace) and the engine thread (in-memory workspace) write the same files', async () => {
    const memory = createEngine({ workspacePath: ':memory:', worker: testWorkerEntry, now });
    try {
      await trained(memory);
      const inWorker = await engine.call('policy.export', exportInput(join(scratch.dir, 'worker')));
      const onThread = await memory.call('policy.export', exportInput(join(scratch.dir, 'thread')));
      expect(inWorker.files.map((f) => f.split('/').pop())).toEqual(['policy.json', 'litellm-config.yaml', 'vllm-semantic-router-config.yaml', 'envoy-ai-gateway.yaml', 'scorer.onnx']);
      expect(inWorker.contentHash).toBe(onThread.contentHash);
      const { id: _a, ...workerRest } = inWorker;
      const { id: _b, ...threadRest } = onThread;
      expect({ ...workerRest, files: [] }).toEqual({ ...threadRest, files: [] });
      for (const file of ['litellm-config.yaml', 'vllm-semantic-router-config.yaml', 'envoy-ai-gateway.yaml', 'scorer.onnx']) {
        expect(readFileSync(join(scratch.dir, 'worker', file)).equals(readFileSync(join(scratch.dir, 'thread', file))), file).toBe(true);
      }
      expect(unsignedText(join(scratch.dir, 'worker', 'policy.json'))).toBe(unsignedText(join(scratch.dir, 'thread', 'policy.json')));
      // The stored row is the file, and the list shows it.
      const stored = (await engine.call('policy.list', {})).find((p) => p.id === inWorker.id)!;
      expect(stored).toEqual({ id: inWorker.id, name: 'wino', formatVersion: inWorker.formatVersion, contentHash: inWorker.contentHash, createdAt: inWorker.createdAt, models: inWorker.models, strategy: 'online', lambda: inWorker.lambda, budgetFraction: 0.3, bytes: readFileSync(join(scratch.dir, 'worker', 'policy.json'), 'utf8').length });
      // Another budget gives another policy: the equality above is not vacuous.
      const other = await engine.call('policy.export', { ...exportInput(join(scratch.dir, 'other')), budgetFraction: 0.5 });
      expect(other.contentHash).not.toBe(inWorker.contentHash);
    } finally {
      memory.close();
    }
  }, 600_000);

  it('the engine answers datasets.list while the worker is held mid-export; a cancel then leaves no row and no files', async () => {
    const before = (await engine.call('policy.list', {})).length;
    const outDir = join(scratch.dir, 'held');
    await withFault('policy.export-worker', async () => {
      const { jobId } = engine.start('policy.export', exportInput(outDir));
      let reading!: () => void;
      const read = new Promise<void>((r) => (reading = r));
      const end = ended(engine, jobId, (e) => e.stage === 'load' && e.fraction > 0.01 && reading());
      await read;
      // The worker now holds its thread without yielding (fault-point.ts) for ten minutes: had the
      // export run on the engine thread, this call would wait for it.
      expect((await engine.call('datasets.list', {})).map((d) => d.id)).toEqual([1]);
      expect(engine.jobs().find((j) => j.jobId === jobId)?.state).toBe('running');
      expect(engine.cancel(jobId)).toBe(true);
      expect(await end).toMatchObject({ type: 'cancelled', jobId });
    });
    expect(await engine.call('policy.list', {})).toHaveLength(before);
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(scratch.dir).filter((f) => f.includes('routeplan-staging'))).toEqual([]);
  }, 300_000);

  it('a cancel after the files were staged (the worker waiting for the engine to let it commit) removes them and stores nothing', async () => {
    const before = (await engine.call('policy.list', {})).length;
    const outDir = join(scratch.dir, 'staged');
    await withFault('policy.planned', async () => {
      const { jobId } = engine.start('policy.export', exportInput(outDir));
      let staged!: () => void;
      const written = new Promise<void>((r) => (staged = r));
      const end = ended(engine, jobId, (e) => e.stage === 'commit' && staged());
      await written;
      // The worker waits with the files staged; the engine thread holds at policy.planned before letting it commit.
      while (!readdirSync(scratch.dir).some((f) => f.startsWith('.staged.routeplan-staging'))) await new Promise((r) => setTimeout(r, 20));
      expect(engine.cancel(jobId)).toBe(true);
      expect(await end).toMatchObject({ type: 'cancelled', jobId });
    });
    expect(await engine.call('policy.list', {})).toHaveLength(before);
    expect(existsSync(outDir)).toBe(false);
    expect(readdirSync(scratch.dir).filter((f) => f.includes('routeplan-staging') || f.includes('routeplan-old'))).toEqual([]);
    const reader = new Database(wsPath, { readonly: true });
    try {
      expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(reader.prepare('SELECT count(*) FROM policies').pluck().get()).toBe(before);
    } finally {
      reader.close();
    }
  }, 300_000);
});
