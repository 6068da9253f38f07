import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../helpers/engine';

// The sentence encoder's TensorFlow.js WASM backend initialises asynchronously; the weights load
// makes tensors. Started together (as @energetic-ai/embeddings' initModel does), a slow backend
// start on a busy machine made the weights load touch an uninitialised backend ("Backend 'wasm'
// has not yet been initialized"). Many encoder threads start here at once beside threads that
// keep every core busy: each must come up and encode. The property is that all succeed; no
// timing is asserted.
const encoderThread = pathToFileURL(join(repoRoot, 'tests/helpers/encoder-thread.ts'));
const spinner = `const { parentPort } = require('node:worker_threads'); const end = Date.now() + 60000; let stop = false; parentPort.on('message', () => { stop = true; }); (function spin() { const t = Date.now(); while (Date.now() - t < 50) {} if (!stop && Date.now() < end) setImmediate(spin); else process.exit(0); })();`;

describe('sentence encoder start-up under contention', () => {
  it('8 encoder threads started at once beside 4 CPU spinners, half with a WASM backend that compiles late, all initialise and encode', async () => {
    const spinners = Array.from({ length: 4 }, () => new Worker(spinner, { eval: true }));
    try {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => {
          const w = new Worker(encoderThread, { execArgv: ['--import', 'tsx'], workerData: { slowWasmMs: i % 2 ? 3000 : 0 } });
          return new Promise<{ ok: boolean; n?: number; finite?: boolean; error?: string }>((resolve, reject) => {
            w.once('message', (m) => {
              resolve(m);
              void w.terminate();
            });
            w.once('error', reject);
          });
        }),
      );
      for (const r of results) expect(r, r.error).toEqual({ ok: true, n: 1024, finite: true });
    } finally {
      for (const s of spinners) s.postMessage('stop');
    }
  });
});
