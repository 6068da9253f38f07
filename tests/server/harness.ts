import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobEvent, JobInfo } from '../../src/shared/events';
import type { ServedEngine } from '../../src/main/server/server';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests can send headers fetch forbids (Host) or omit ones it adds. */
export function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body != null) req.write(opts.body);
    req.end();
  });
}

/** A static folder with a page and an asset, standing in for out/renderer. */
export function staticFixture(dir: string): string {
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>routeplan</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the static root');
  return root;
}

/** An engine double whose events the test drives, to test the relay without real jobs. */
export function fakeEngine(): ServedEngine & { emit(e: JobEvent): void; cancelled: string[] } {
  const listeners = new Set<(e: JobEvent) => void>();
  const cancelled: string[] = [];
  const jobs: JobInfo[] = [];
  return {
    cancelled,
    emit: (e) => listeners.forEach((l) => l(e)),
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    jobs: () => jobs,
    cancel(id) {
      cancelled.push(id);
      return true;
    },
    async invoke(method, input) {
      if (method === 'echo') return input;
      throw Object.assign(new Error('nope'), { code: 'NOT_FOUND', message: `unknown method ${method}` });
    },
  };
}
