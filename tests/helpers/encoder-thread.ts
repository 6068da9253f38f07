// A worker thread that starts the bundled sentence encoder from cold and encodes two texts
// (tests/main/engine/features/encoder-startup.test.ts starts many at once).
import { parentPort, workerData } from 'node:worker_threads';
import { encodeTask } from '../../src/main/engine/features/sentence-encoder';

// What a loaded machine does to the backend: its WASM module compiles late (workerData.slowWasmMs).
const delay = Number((workerData as { slowWasmMs?: number } | undefined)?.slowWasmMs ?? 0);
if (delay > 0) {
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (...a: unknown[]) => Promise<unknown>;
  (WebAssembly as unknown as { instantiate: unknown }).instantiate = async (...args: unknown[]) => {
    await new Promise((r) => setTimeout(r, delay));
    return instantiate(...args);
  };
}

encodeTask({ texts: ['what is 2 + 2?', 'write a haiku'], tailChars: 250, batchSize: 32 }).then(
  (out) => parentPort!.postMessage({ ok: true, n: out.length, finite: out.every(Number.isFinite) }),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: String((err as Error)?.message ?? err) }),
);
