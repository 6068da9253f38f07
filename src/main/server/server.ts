import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { tmpdir } from 'node:os';
import type { Engine } from '../engine/engine';
import { EngineError, toFailure } from '../../shared/errors';
import { BridgeRequest, CancelRequest, parseBridge } from '../../shared/bridge';
import { contentSecurityPolicy } from './csp';
import { hostAllowed, originAllowed, readJson, send, statusFor, tokenMatches } from './http-util';
import { receiveUpload } from './upload';

/** The part of the engine a face needs; tests may pass a fake. */
export type ServedEngine = Pick<Engine, 'invoke' | 'cancel' | 'jobs' | 'subscribe'>;

export interface ServeOptions {
  engine: ServedEngine;
  /** Built renderer folder (out/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
  /** Where uploaded files land before import (a browser has no file paths); a fresh temp folder by default. */
  uploadDir?: string;
  uploadLimitBytes?: number;
  /** SSE keep-alive comment interval. */
  heartbeatMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  uploadDir: string;
  close(): Promise<void>;
}

const mime: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2' };

/**
 * The browser-mode bridge: loopback only, a random token required on every API call (header or
 * ?token=), Host and Origin checks against DNS rebinding and cross-site requests, HTTP for calls
 * and server-sent events for job progress.
 */
export const MIN_TOKEN_CHARS = 16;

/** An access token given by the caller: long enough to guess never, printable ASCII (it travels in a URL and a header). */
export function tokenProblem(token: string): string | null {
  if (token.length < MIN_TOKEN_CHARS) return `the access token must have at least ${MIN_TOKEN_CHARS} characters (it has ${token.length}); omit --token for a random 192-bit one`;
  if (!/^[\x21-\x7e]+$/.test(token)) return 'the access token may hold only printable ASCII characters without spaces';
  return null;
}

export function serve(opts: ServeOptions): Promise<RunningServer> {
  if (opts.token !== undefined) {
    const problem = tokenProblem(opts.token);
    if (problem) return Promise.reject(new EngineError('INVALID_INPUT', problem, { field: 'token' }));
  }
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port <= 65535)) {
    return Promise.reject(new EngineError('INVALID_INPUT', `the port must be an integer from 0 to 65535 (0 = any free port), got ${String(opts.port)}`, { field: 'port' }));
  }
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const ownUploadDir = opts.uploadDir == null;
  let uploadDir: string;
  try {
    uploadDir = opts.uploadDir ?? mkdtempSync(join(tmpdir(), 'routeplan-uploads-'));
  } catch (err) {
    return Promise.reject(new EngineError('INVALID_INPUT', `cannot create an upload folder in the temporary folder ${tmpdir()} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): set TMPDIR to a writable folder`, { path: tmpdir(), reason: 'environment' }));
  }
  const root = resolve(opts.staticDir);
  const clients = new Set<ServerResponse>();
  const broadcast = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of clients) c.write(frame);
  };
  const unsubscribe = opts.engine.subscribe((e) => broadcast('job', e));
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': keep-alive\n\n');
  }, opts.heartbeatMs ?? 15_000);
  heartbeat.unref();
  let port = 0;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!hostAllowed(req.headers.host, port)) return send(res, 403, { error: { code: 'UNAUTHORIZED', message: 'bad Host header' } });
      if (url.pathname.startsWith('/api/')) {
        if (!originAllowed(req.headers.origin, port)) return send(res, 403, { error: { code: 'UNAUTHORIZED', message: 'cross-origin request refused' } });
        if (!tokenMatches(req, url, token)) return send(res, 401, { error: { code: 'UNAUTHORIZED', message: 'missing or wrong token' } });
        return await api(req, res, url);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: { code: 'INVALID_INPUT', message: 'method not allowed' } });
      return serveStatic(res, url.pathname);
    } catch (err) {
      const failure = toFailure(err);
      if (!res.headersSent) send(res, statusFor(failure.code), { error: failure });
      else res.destroy();
    }
  });

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /api/events': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        // A snapshot first, so a client that (re)connects late still learns how its jobs ended.
        res.write(`event: hello\ndata: ${JSON.stringify({ jobs: opts.engine.jobs() })}\n\n`);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      case 'POST /api/invoke': {
        const body = parseBridge(BridgeRequest, await readJson(req));
        try {
          return send(res, 200, { result: await opts.engine.invoke(body.method, body.input) });
        } catch (err) {
          return send(res, 200, { error: toFailure(err) });
        }
      }
      case 'POST /api/cancel': {
        const body = parseBridge(CancelRequest, await readJson(req));
        return send(res, 200, { result: { cancelled: opts.engine.cancel(body.jobId) } });
      }
      case 'GET /api/jobs':
        return send(res, 200, { result: opts.engine.jobs() });
      case 'POST /api/upload': {
        const saved = await receiveUpload(req, uploadDir, url.searchParams.get('name'), opts.uploadLimitBytes);
        return send(res, 200, { result: saved });
      }
      default:
        return send(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${route}` } });
    }
  }

  function serveStatic(res: ServerResponse, pathname: string): void {
    let rel: string;
    try {
      rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^[/\\]+/, '');
    } catch {
      throw new EngineError('INVALID_INPUT', 'malformed path');
    }
    const file = resolve(root, rel);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, { error: { code: 'NOT_FOUND', message: 'not found' } });
    res.writeHead(200, {
      'content-type': mime[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  return new Promise((resolvePromise, reject) => {
    // A port already taken: nothing of this attempt may stay behind (the caller may try another).
    server.once('error', (err: NodeJS.ErrnoException) => {
      clearInterval(heartbeat);
      unsubscribe();
      if (ownUploadDir) rmSync(uploadDir, { recursive: true, force: true });
      if (err.code === 'EADDRINUSE') reject(new EngineError('CONFLICT', `port ${opts.port} is in use by another program; choose another with --port, or omit it for any free port`, { field: 'port', errno: err.code }));
      else if (err.code === 'EACCES') reject(new EngineError('INVALID_INPUT', `port ${opts.port} needs privileges this process lacks; choose one above 1023, or omit --port`, { field: 'port', errno: err.code }));
      else reject(err);
    });
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const addr = server.address();
      port = typeof addr === 'object' && addr ? addr.port : 0;
      resolvePromise({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        uploadDir,
        close: () =>
          new Promise<void>((r) => {
            clearInterval(heartbeat);
            unsubscribe();
            for (const c of clients) c.end();
            server.close(() => {
              if (ownUploadDir) rmSync(uploadDir, { recursive: true, force: true });
              r();
            });
            server.closeAllConnections();
          }),
      });
    });
  });
}
