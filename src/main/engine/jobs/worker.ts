import { parentPort } from 'node:worker_threads';
import { loadTask } from './tasks';
import { toFailure } from '../../../shared/errors';

// Worker-thread entry: each message {task, payload} in gets progress messages and one result
// out. A fresh worker runs one task; a WorkerSession sends the next only after that result.
// Cancellation and hard time limits are the parent's terminate(), so tasks need no polling.
if (parentPort) {
  const port = parentPort;
  port.on('message', async (msg: { task: string; payload: unknown }) => {
    try {
      const task = await loadTask(msg.task);
      const result = await task(msg.payload, {
        progress: (stage, fraction, metrics, message) => port.postMessage({ type: 'progress', stage, fraction, metrics, message }),
      });
      port.postMessage({ type: 'result', result }, collectTransferables(result));
    } catch (err) {
      port.postMessage({ type: 'error', error: toFailure(err), stack: (err as Error)?.stack });
    }
  });
}

function collectTransferables(value: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (depth > 4 || value == null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer as ArrayBuffer;
    if (buf instanceof ArrayBuffer && !out.includes(buf) && value.byteLength === buf.byteLength) out.push(buf);
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) collectTransferables(v, out, depth + 1);
  return out;
}
