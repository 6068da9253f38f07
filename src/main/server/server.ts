import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, basename } from 'node:path';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import type { Engine } from '../engine/engine';
import { EngineError, toFailure } from '../../shared/errors';
import { contentSecurityPolicy } from './csp';
import { BridgeRequest, CancelRequest, parseBridge } from '../../shared/bridge';

export interface ServeOptions {
  engine: Engine;
  /** Built renderer folder (out/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
  /** Where uploaded files land before import (browser mode has no file paths). */
  uploadDir?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const mime: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2' };
const MAX_JSON_BYTES = 4 * 1024 * 1024;
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;


/**
 * The browser-mode bridge: loopback only, a random token required on every API call (header or
 * ?token=), a Host check against DNS rebinding, HTTP for calls and server-sent events for jobs.
 */
export function serve(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const uploadDir = opts.uploadDir ?? join(tmpdir(), `routeplan-uploads-${process.pid}`);
  const clients = new Set<ServerResponse>();
  const unsubscribe = opts.engine.subscribe((event) => {
    const line = `event: job\ndata: ${JSON.stringify(event)}\n\n`;
    for (const c of clients) c.write(line);
  });
  let port = 0;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!hostAllowed(req.headers.host, port)) return send(res, 403, { error: { code: 'UNAUTHORIZED', message: 'bad Host header' } });
      if (url.pathname.startsWith('/api/')) {
        if (!tokenMatches(req, url, token)) return send(res, 401, { error: { code: 'UNAUTHORIZED', message: 'missing or wrong token' } });
        return await api(req, res, url);
      }
      return serveStatic(res, url.pathname);
    } catch (err) {
      const failure = toFailure(err);
      send(res, failure.code === 'INVALID_INPUT' ? 400 : 500, { error: failure });
    }
  });

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`event: hello\ndata: ${JSON.stringify({ jobs: opts.engine.jobs() })}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (route === 'POST /api/invoke') {
      const body = parseBridge(BridgeRequest, await readJson(req));
      try {
        return send(res, 200, { result: await opts.engine.invoke(body.method, body.input) });
      } catch (err) {
        return send(res, 200, { error: toFailure(err) });
      }
    }
    if (route === 'POST /api/cancel') {
      const body = parseBridge(CancelRequest, await readJson(req));
      return send(res, 200, { result: { cancelled: opts.engine.cancel(body.jobId) } });
    }
    if (route === 'GET /api/jobs') return send(res, 200, { result: opts.engine.jobs() });
    if (route === 'POST /api/upload') {
      const name = basename(url.searchParams.get('name') ?? 'upload.bin').replace(/[^\w.\-]+/g, '_');
      mkdirSync(uploadDir, { recursive: true });
      const dest = join(uploadDir, `${Date.now()}-${randomBytes(4).toString('hex')}-${name}`);
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_UPLOAD_BYTES) return send(res, 413, { error: { code: 'INVALID_INPUT', message: 'file too large' } });
      await pipeline(req, createWriteStream(dest));
      return send(res, 200, { result: { path: dest, name } });
    }
    return send(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${route}` } });
  }

  function serveStatic(res: ServerResponse, pathname: string): void {
    const root = resolve(opts.staticDir);
    const rel = pathname === '/' ? 'index.html' : normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    const file = resolve(root, rel);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, { error: { code: 'NOT_FOUND', message: 'not found' } });
    res.writeHead(200, { 'content-type': mime[extname(file)] ?? 'application/octet-stream', 'content-security-policy': contentSecurityPolicy, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  }

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const addr = server.address();
      port = typeof addr === 'object' && addr ? addr.port : 0;
      resolvePromise({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((r) => {
            unsubscribe();
            for (const c of clients) c.end();
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function tokenMatches(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers.authorization?.replace(/^Bearer\s+/i, '');
  const given = header ?? url.searchParams.get('token') ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new EngineError('INVALID_INPUT', 'request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new EngineError('INVALID_INPUT', 'request body is not JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
