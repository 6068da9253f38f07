import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { serve, type RunningServer } from '../../src/main/server/server';
import { memoryEngine, scratchDir } from '../helpers/engine';
import type { Engine } from '../../src/main/engine/engine';
import { fakeEngine, raw, staticFixture } from './harness';

/** Reads server-sent events until `count` frames of the given type arrived. */
function collectEvents(port: number, token: string, type: string, count: number, onOpen: () => void): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const got: unknown[] = [];
    const req = request({ host: '127.0.0.1', port, path: `/api/events?token=${token}`, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      expect(res.headers['content-type']).toBe('text/event-stream');
      let buffer = '';
      let opened = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event === 'hello' && !opened) (opened = true), onOpen();
          if (event === type && data) got.push(JSON.parse(data));
          if (got.length >= count) {
            req.destroy();
            resolve(got);
          }
        }
      });
    });
    req.on('error', (e) => (got.length >= count ? undefined : reject(e)));
    req.end();
  });
}

describe('browser-mode server: API', () => {
  const scratch = scratchDir('routeplan-server-');
  const fake = fakeEngine();
  let engine: Engine;
  let server: RunningServer;
  let real: RunningServer;
  const auth = () => ({ authorization: `Bearer ${server.token}` });
  beforeAll(async () => {
    server = await serve({ engine: fake, staticDir: staticFixture(scratch.dir), uploadLimitBytes: 1024 });
    engine = memoryEngine();
    real = await serve({ engine, staticDir: staticFixture(scratch.dir) });
  });
  afterAll(async () => {
    await server.close();
    await real.close();
    engine.close();
    scratch.cleanup();
  });

  it('relays job progress to every SSE client in order, after a hello snapshot', async () => {
    const events = collectEvents(server.port, server.token, 'job', 4, () => {
      fake.emit({ type: 'started', jobId: 'j1', method: 'data.import' });
      for (const f of [0.25, 0.5]) fake.emit({ type: 'progress', jobId: 'j1', method: 'data.import', stage: 'rows', fraction: f });
      fake.emit({ type: 'done', jobId: 'j1', method: 'data.import', result: { rows: 3 } });
    });
    const got = (await events) as { type: string; fraction?: number }[];
    expect(got.map((e) => e.type)).toEqual(['started', 'progress', 'progress', 'done']);
    expect(got.filter((e) => e.type === 'progress').map((e) => e.fraction)).toEqual([0.25, 0.5]);
  });

  it('refuses a malformed request with INVALID_INPUT and status 400', async () => {
    for (const body of ['not json', '{"method":""}', '{"input":{}}', '[1,2]']) {
      const r = await raw(server.port, '/api/invoke', { method: 'POST', headers: auth(), body });
      expect(r.status, body).toBe(400);
      expect(JSON.parse(r.body).error.code, body).toBe('INVALID_INPUT');
    }
    const cancel = await raw(server.port, '/api/cancel', { method: 'POST', headers: auth(), body: '{"jobId":"not-a-uuid"}' });
    expect(JSON.parse(cancel.body).error.code).toBe('INVALID_INPUT');
    expect(fake.cancelled).toEqual([]);
  });

  it("passes the engine's own validation failure through as data", async () => {
    const r = await raw(real.port, '/api/invoke', { method: 'POST', headers: { authorization: `Bearer ${real.token}` }, body: JSON.stringify({ method: 'workspace.open', input: { path: 3 } }) });
    expect(r.status).toBe(200);
    const { error } = JSON.parse(r.body);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details.method).toBe('workspace.open');
    const ok = await raw(real.port, '/api/invoke', { method: 'POST', headers: { authorization: `Bearer ${real.token}` }, body: JSON.stringify({ method: 'workspace.info', input: {} }) });
    expect(JSON.parse(ok.body).result.path).toBe(':memory:');
    const unknown = await raw(real.port, '/api/invoke', { method: 'POST', headers: { authorization: `Bearer ${real.token}` }, body: JSON.stringify({ method: 'no.such', input: {} }) });
    expect(JSON.parse(unknown.body).error.code).toBe('NOT_FOUND');
  });

  it('cancels a job by id', async () => {
    const id = '7b0e3f1e-8a8e-4c35-9a55-2f3f7d7e0b11';
    const r = await raw(server.port, '/api/cancel', { method: 'POST', headers: auth(), body: JSON.stringify({ jobId: id }) });
    expect(JSON.parse(r.body)).toEqual({ result: { cancelled: true } });
    expect(fake.cancelled).toEqual([id]);
  });

  it('stores an upload under a safe name inside the upload folder', async () => {
    const r = await raw(server.port, '/api/upload?name=' + encodeURIComponent('../../etc/passwd; rm.csv'), { method: 'POST', headers: auth(), body: 'prompt,model\n' });
    const { result } = JSON.parse(r.body);
    expect(dirname(dirname(result.path))).toBe(server.uploadDir);
    expect(result.name).toBe('passwd_rm.csv');
    expect(result.path.endsWith('/passwd_rm.csv')).toBe(true);
    expect(readFileSync(result.path, 'utf8')).toBe('prompt,model\n');
  });

  it('refuses an upload over the limit, chunked or declared, and keeps no partial file', async () => {
    const before = readdirSync(server.uploadDir).length;
    const big = Buffer.alloc(4096, 65);
    const declared = await raw(server.port, '/api/upload?name=big.csv', { method: 'POST', headers: auth(), body: big });
    expect(declared.status).toBe(400);
    expect(JSON.parse(declared.body).error.code).toBe('INVALID_INPUT');
    const chunked = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/upload?name=big.csv', method: 'POST', headers: { host: `127.0.0.1:${server.port}`, ...auth(), 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(-1));
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(512, 66));
      req.end();
    });
    expect([400, -1]).toContain(chunked);
    expect(readdirSync(server.uploadDir).length).toBe(before);
  });

  it('removes its own upload folder on close', async () => {
    const s = await serve({ engine: fakeEngine(), staticDir: staticFixture(scratch.dir) });
    await raw(s.port, '/api/upload?name=a.csv', { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, body: 'x' });
    expect(existsSync(s.uploadDir)).toBe(true);
    await s.close();
    expect(existsSync(s.uploadDir)).toBe(false);
  });
});
