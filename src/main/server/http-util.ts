import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { EngineError } from '../../shared/errors';

export const MAX_JSON_BYTES = 4 * 1024 * 1024;

/** Only the loopback names of this very port: a rebinding attack arrives with its own Host. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A browser always sends Origin on cross-site POSTs; when present it must be ours. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin == null || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** The token from `Authorization: Bearer` or `?token=` (EventSource cannot set headers), compared in constant time. */
export function tokenMatches(req: IncomingMessage, url: URL, token: string): boolean {
  const header = req.headers.authorization?.replace(/^Bearer\s+/i, '');
  const given = header ?? url.searchParams.get('token') ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new EngineError('INVALID_INPUT', 'request body too large', { limitBytes: MAX_JSON_BYTES });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new EngineError('INVALID_INPUT', 'request body is not JSON');
  }
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}

/** HTTP status for a failure that is the request's own fault; engine failures travel as 200 + {error}. */
export function statusFor(code: string): number {
  return code === 'INVALID_INPUT' ? 400 : code === 'UNAUTHORIZED' ? 401 : code === 'NOT_FOUND' ? 404 : 500;
}
