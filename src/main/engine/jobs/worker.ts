import { parentPort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { loadTask } from './tasks';
import { toFailure } from '../../../shared/errors';

// Worker-thread entry: each message {task, payload} in gets progress messages and one result
// out. The parent sends the next task only after that result (worker-pool.ts keeps threads warm).
// Cancellation and hard time limits are the parent's terminate(), so tasks need no polling.
// `retire` asks the parent not to keep this thread: after an unexpected failure (a WASM abort can
// leave HiGHS's or TensorFlow's module unusable) or when the task left a large heap behind.
const RETIRE_BYTES = 512 * 1024 * 1024;
const heavy = () => {
  const h = getHeapStatistics() as ReturnType<typeof getHeapStatistics> & { external_memory?: number };
  return h.total_heap_size + (h.external_memory ?? 0) > RETIRE_BYTES;
};
if (parentPort) {
  const port = parentPort;
  port.on('message', async (msg: { task: string; payload: unknown }) => {
    try {
      const task = await loadTask(msg.task);
      const result = await task(msg.payload, {
        progress: (stage, fraction, metrics, message) => port.postMessage({ type: 'progress', stage, fraction, metrics, message }),
      });
      port.postMessage({ type: 'result', result, retire: heavy() }, collectTransferables(result));
    } catch (err) {
      const error = toFailure(err);
      port.postMessage({ type: 'error', error, stack: (err as Error)?.stack, retire: error.code === 'INTERNAL' || heavy() });
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
