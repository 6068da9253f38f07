// Worker task 'policy.export' (jobs/tasks.ts): export-job.ts's work on its own read-only
// connection, so the engine thread answers other calls while a large policy is planned,
// serialised and staged. Cancelling terminates the thread; the engine then removes the staging.
import type { TaskContext } from '../jobs/context';
import { taskJobContext } from '../jobs/context';
import { faultPoint } from '../jobs/fault-point';
import { encodeInThisThread, type EncodeTexts } from '../features/sentence-encoder';
import { openDatabase, openReadOnly } from '../store/database';
import { buildExport, readExportSources, stageProgress, storeExport, type BuiltExport, type PolicyExportInput, type StageProgress } from './export-job';
import { workspaceSigningKey } from './signing';

export interface PolicyExportPayload {
  workspacePath: string;
  input: PolicyExportInput;
  createdAt: string;
  /** Int32 set to 1 by the engine thread when the export may commit; until then this thread waits. */
  gate: SharedArrayBuffer;
}

export type StoredExport = Omit<BuiltExport, 'body'> & { id: number; bytes: number };

export async function policyExportTask(payload: PolicyExportPayload, task: TaskContext): Promise<StoredExport> {
  const progress = stageProgress(taskJobContext(task));
  progress('load', 0, 'reading the predictor and its dataset');
  const db = openReadOnly(payload.workspacePath);
  let sources;
  try {
    // One snapshot: the predictor, its rows and the catalog, whatever the engine thread commits meanwhile.
    sources = db.transaction(() => readExportSources(db, payload.input, (step) => progress('load', 0.5, step)))();
  } finally {
    db.close();
  }
  // A point where the fault suite and the tests hold this thread (the engine thread stays free).
  faultPoint('policy.export-worker');
  const built = await buildExport(sources, payload.input, {
    createdAt: payload.createdAt,
    signingKey: workspaceSigningKey(payload.workspacePath),
    encode: encodeWithProgress(encodeInThisThread, progress),
    progress,
  });
  // The engine thread decides whether the export lands: it opens the gate, after which it no
  // longer cancels, or terminates this thread while it waits here (nothing stored, files staged
  // only, which it removes).
  progress('commit', 0, 'storing the policy');
  Atomics.wait(new Int32Array(payload.gate), 0, 0);
  const writer = openDatabase(payload.workspacePath, { create: false });
  try {
    const id = storeExport(writer, payload.input, built);
    const { body, ...rest } = built;
    progress('commit', 1);
    return { ...rest, id, bytes: body.length };
  } finally {
    writer.close();
  }
}

/**
 * The bundled encoder in this thread, a few of its batches at a time so that the stage reports as
 * it goes (the same batches as one call, so the same vectors).
 */
function encodeWithProgress(encode: EncodeTexts, progress: StageProgress): EncodeTexts {
  return async (texts, settings) => {
    const step = settings.batchSize;
    const out = new Float32Array(texts.length * 512);
    progress('task signals', 0, `encoding held-out prompts: loading the encoder, 0 of ${texts.length}`);
    for (let at = 0; at < texts.length; at += step) {
      out.set(await encode(texts.slice(at, at + step), settings), at * 512);
      progress('task signals', Math.min(texts.length, at + step) / texts.length, `encoding held-out prompts: ${Math.min(texts.length, at + step)} of ${texts.length}`);
    }
    return out;
  };
}
