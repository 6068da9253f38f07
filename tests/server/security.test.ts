import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { connect } from 'node:net';
import { serve, type RunningServer } from '../../src/main/server/server';
import { scratchDir } from '../helpers/engine';
import { fakeEngine, raw, staticFixture } from './harness';

describe('browser-mode server: access control', () => {
  const scratch = scratchDir('routeplan-server-');
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve({ engine: fakeEngine(), staticDir: staticFixture(scratch.dir), token: 'a-test-token-of-some-length' });
  });
  afterAll(async () => {
    await server.close();
    scratch.cleanup();
  });

  it('requires the token on every API route, by header or query', async () => {
    expect((await raw(server.port, '/api/jobs')).status).toBe(401);
    const wrong = await raw(server.port, '/api/jobs', { headers: { authorization: 'Bearer a-test-token-of-some-lengtX' } });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).error.code).toBe('UNAUTHORIZED');
    expect((await raw(server.port, '/api/jobs?token=short')).status).toBe(401);
    expect((await raw(server.port, '/api/invoke', { method: 'POST', body: '{"method":"echo","input":1}' })).status).toBe(401);
    const good = await raw(server.port, '/api/jobs', { headers: { authorization: `Bearer ${server.token}` } });
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body)).toEqual({ result: [] });
    expect((await raw(server.port, `/api/jobs?token=${server.token}`)).status).toBe(200);
  });

  it('generates a long random token when none is given', async () => {
    const a = await serve({ engine: fakeEngine(), staticDir: staticFixture(scratch.dir) });
    const b = await serve({ engine: fakeEngine(), staticDir: staticFixture(scratch.dir) });
    expect(a.token.length).toBeGreaterThanOrEqual(32);
    expect(a.token).not.toBe(b.token);
    expect(a.url).toBe(`http://127.0.0.1:${a.port}/?token=${a.token}`);
    await a.close();
    await b.close();
  });

  it('refuses a foreign Host header (DNS rebinding) even with the right token', async () => {
    const r = await raw(server.port, `/api/jobs?token=${server.token}`, { headers: { host: `evil.example:${server.port}` } });
    expect(r.status).toBe(403);
    expect((await raw(server.port, '/', { headers: { host: `127.0.0.1:${server.port + 1}` } })).status).toBe(403);
    expect((await raw(server.port, '/', { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('refuses a cross-site Origin on API calls', async () => {
    const r = await raw(server.port, `/api/invoke?token=${server.token}`, { method: 'POST', headers: { origin: 'https://evil.example' }, body: '{"method":"echo","input":1}' });
    expect(r.status).toBe(403);
    const same = await raw(server.port, `/api/invoke?token=${server.token}`, { method: 'POST', headers: { origin: `http://127.0.0.1:${server.port}` }, body: '{"method":"echo","input":1}' });
    expect(JSON.parse(same.body)).toEqual({ result: 1 });
  });

  it('listens on loopback only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect({ host: external.address, port: server.port });
        s.once('connect', () => (s.destroy(), resolve(false)));
        s.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('serves the renderer with the CSP and never a file outside its folder', async () => {
    const page = await raw(server.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await raw(server.port, '/assets/app.js')).headers['content-type']).toBe('text/javascript');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%E0%A4%A']) {
      const r = await raw(server.port, path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain('outside the static root');
    }
  });
});
