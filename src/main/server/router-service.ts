import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { EngineError } from '../../shared/errors';
import type { Policy } from '../engine/policy/format';
import { AUTO_MODEL } from '../engine/policy/gateways/common';
import type { ResolvedDeployment } from '../engine/policy/gateways/deployment';
import { PolicyRouter } from '../engine/policy/router';
import type { RouteQuery } from '../engine/policy/queries';
import { RouterSession, type SessionDecision } from '../engine/policy/router-session';
import { forward, gatewayRequest, providerRequest, type ClientApi, type UpstreamRequest } from './router-forward';

export interface RouterServiceOptions {
  policy: Policy;
  host?: string;
  port?: number;
  /** Required when host is not a loopback address. */
  token?: string | null;
  /** Forward decided requests straight to the providers of this mapping... */
  deployment?: ResolvedDeployment | null;
  /** ...or back through a gateway at this base URL (the policy's model id in the body and x-ai-eg-model). */
  gateway?: string | null;
  maxBodyBytes?: number;
  upstreamTimeoutMs?: number;
  /**
   * Batch window: requests arriving within this many ms (or until `batchMax` are waiting) are
   * decided together by the policy's batch rule, within their batch's budget. 0 (the default):
   * each request at once by the online rule.
   */
  batchWindowMs?: number;
  /** Largest batch (default: the policy's batch size). */
  batchMax?: number;
  /** Log each request's prompt (off: only the decision, never the text). */
  logPrompts?: boolean;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface RouterService {
  url: string;
  port: number;
  session: RouterSession;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const ROUTES: Record<string, ClientApi> = { '/v1/chat/completions': 'chat', '/v1/messages': 'messages' };

type Fail = { status: number; type: string; message: string; extra?: Record<string, unknown> };
const fail = (status: number, type: string, message: string, extra?: Record<string, unknown>): Fail => ({ status, type, message, extra });

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** The text the policy scores: the last user message (a string, or its text parts). */
export function promptOf(messages: unknown[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((p: { type?: string; text?: unknown }) => (p?.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('\n');
  }
  return null;
}

/**
 * `routeplan serve-router`: an OpenAI-compatible endpoint (POST /v1/chat/completions and
 * /v1/messages) that decides each request with the policy (task from the request's `task` or
 * x-routeplan-task, else inferred from the prompt) and either answers with the decision (the
 * x-routeplan-model / x-ai-eg-model headers and a JSON body, for a gateway's pre-routing hook;
 * also POST /v1/routeplan/decide in any mode) or forwards the request to the decided model and
 * streams its answer back. Budget state lives in one RouterSession across requests.
 */
export async function startRouterService(o: RouterServiceOptions): Promise<RouterService> {
  const host = o.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !o.token) throw new EngineError('INVALID_INPUT', `serve-router binds ${host}, which is not a loopback address: give a token (--token-env) so that only the gateway can call it`, { field: 'token' });
  const router = new PolicyRouter(o.policy);
  const session = new RouterSession(router);
  const maxBody = o.maxBodyBytes ?? 1 << 20;
  const timeoutMs = o.upstreamTimeoutMs ?? 60_000;
  const env = o.env ?? process.env;
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const byId = new Map((o.deployment?.models ?? []).map((m) => [m.id, m]));
  const forwarding = !!(o.deployment || o.gateway);
  const messagesModels = o.deployment ? Int32Array.from(o.policy.models.flatMap((m, j) => (byId.get(m.id)?.provider === 'anthropic' ? [j] : []))) : null;
  const tokenBuf = o.token ? Buffer.from(o.token) : null;
  let seq = 0;

  const authorised = (req: IncomingMessage): boolean => {
    if (!tokenBuf) return true;
    const given = Buffer.from(req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? String(req.headers['x-routeplan-token'] ?? ''));
    return given.length === tokenBuf.length && timingSafeEqual(given, tokenBuf);
  };

  const readBody = (req: IncomingMessage): Promise<Buffer | Fail> =>
    new Promise((resolve) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBody) return resolve(fail(413, 'body_too_large', `request body over ${maxBody} bytes`, { limit_bytes: maxBody }));
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      req.on('data', (c: Buffer) => {
        if (done) return;
        size += c.length;
        if (size > maxBody) {
          done = true;
          resolve(fail(413, 'body_too_large', `request body over ${maxBody} bytes`, { limit_bytes: maxBody }));
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => !done && ((done = true), resolve(Buffer.concat(chunks))));
      req.on('error', () => !done && ((done = true), resolve(fail(400, 'bad_request', 'the request body could not be read'))));
    });

  // The batch window: queued queries, decided together when the window closes or the batch fills.
  const windowMs = o.batchWindowMs ?? 0;
  const batchMax = Math.max(1, o.batchMax ?? o.policy.strategy.batch.batchSize);
  let waiting: { q: RouteQuery; resolve: (d: SessionDecision) => void; reject: (e: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = waiting;
    waiting = [];
    if (!batch.length) return;
    try {
      const ds = session.decideBatch(batch.map((b) => b.q));
      batch.forEach((b, i) => b.resolve(ds[i]));
    } catch (e) {
      batch.forEach((b) => b.reject(e));
    }
  };
  const settle = (q: RouteQuery): Promise<SessionDecision> => {
    if (windowMs <= 0) return Promise.resolve(session.decide(q));
    return new Promise((resolve, reject) => {
      waiting.push({ q, resolve, reject });
      if (waiting.length >= batchMax) flush();
      else timer ??= setTimeout(flush, windowMs);
    });
  };

  const decide = (body: Record<string, unknown>, req: IncomingMessage, api: ClientApi): { d: Promise<SessionDecision>; chosenBy: 'policy' | 'client' } | Fail => {
    if (!Array.isArray(body.messages) || body.messages.length === 0) return fail(400, 'no_messages', 'the request has no messages');
    const text = promptOf(body.messages);
    if (text == null) return fail(400, 'no_messages', 'the request has no user message to route on');
    const header = req.headers['x-routeplan-task'];
    const task = typeof body.task === 'string' ? body.task : typeof header === 'string' ? header : null;
    const model = body.model;
    const allowed = api === 'messages' && messagesModels ? messagesModels : null;
    if (allowed && allowed.length === 0) return fail(400, 'no_messages_model', 'no model of the deployment speaks the Messages API: send /v1/chat/completions');
    const q = { id: String(++seq), text, task, inputTokens: null, allowed };
    if (model == null || model === AUTO_MODEL || model === 'auto') return { d: settle(q), chosenBy: 'policy' };
    if (typeof model !== 'string' || !router.modelIndex.has(model)) return fail(400, 'unknown_model', `the policy has no model ${JSON.stringify(model)}: send one of ${[...router.modelIndex.keys()].join(', ')} or ${AUTO_MODEL}`, { models: [...router.modelIndex.keys(), AUTO_MODEL] });
    // The client chose: honoured (and counted against the budget state), the policy's scores reported.
    const j = router.modelIndex.get(model)!;
    if (allowed && !allowed.includes(j)) return fail(400, 'unknown_model', `${model} does not speak the Messages API in this deployment: send /v1/chat/completions`);
    return { d: settle({ ...q, allowed: Int32Array.of(j) }), chosenBy: 'client' };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, t0: number): Promise<{ status: number; model?: string; task?: string; prompt?: string }> => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (f: Fail) => (sendJson(res, f.status, { error: { type: f.type, message: f.message, ...f.extra } }), { status: f.status });
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true, policy: o.policy.name, policy_sha256: o.policy.contentHash }), { status: 200 };
    if (!authorised(req)) return reply(fail(401, 'invalid_token', 'missing or invalid token (Authorization: Bearer <token>)'));
    if (req.method === 'GET' && path === '/v1/routeplan/state') return sendJson(res, 200, session.state()), { status: 200 };
    const decideOnly = path === '/v1/routeplan/decide';
    const api = decideOnly ? 'chat' : ROUTES[path];
    if (req.method !== 'POST' || !api) return reply(fail(404, 'not_found', `no route ${req.method} ${path}: POST /v1/chat/completions, /v1/messages or /v1/routeplan/decide`));
    const raw = await readBody(req);
    if (!Buffer.isBuffer(raw)) {
      res.setHeader('connection', 'close');
      reply(raw);
      req.destroy();
      return { status: raw.status };
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8'));
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return reply(fail(400, 'invalid_json', 'the request body is not a JSON object'));
    }
    const out = decide(body, req, decideOnly && Array.isArray(body.messages) && typeof body.system === 'string' ? 'messages' : api);
    if ('status' in out) return reply(out);
    const { chosenBy } = out;
    const d = await out.d;
    const dep = byId.get(d.decision.model);
    // The decision's latency inside the service (body read, parse, batch window, decide), for the
    // gateway's logs: round trips also hold the network and the caller's own queue.
    const headers: Record<string, string> = {
      'server-timing': `decide;dur=${(performance.now() - t0).toFixed(3)}`,
      'x-routeplan-model': d.decision.model,
      'x-ai-eg-model': d.decision.model,
      'x-routeplan-task': d.task ?? '',
      'x-routeplan-policy-sha256': o.policy.contentHash,
    };
    const meta = { status: 200, model: d.decision.model, task: `${d.task ?? '-'}(${d.taskSource})`, prompt: o.logPrompts ? promptOf(body.messages as unknown[]) ?? '' : undefined };
    if (decideOnly || !forwarding) {
      sendJson(res, 200, { model: d.decision.model, upstream_model: dep?.upstreamModel ?? null, probability: d.decision.probability, estimated_cost: d.decision.estimated_cost, strategy: d.decision.strategy, chosen_by: chosenBy, paced: d.paced, task: d.task, task_source: d.taskSource, policy_sha256: o.policy.contentHash }, headers);
      return meta;
    }
    const { task: _task, ...rest } = body;
    let up: UpstreamRequest;
    if (o.gateway) up = gatewayRequest(o.gateway, path, d.decision.model, rest);
    else {
      if (!dep) return { ...reply(fail(502, 'upstream_unconfigured', `the deployment mapping has no upstream for ${d.decision.model}`, { upstream: d.decision.model })), model: d.decision.model };
      const r = providerRequest(dep, api, rest, env, typeof req.headers['anthropic-version'] === 'string' ? req.headers['anthropic-version'] : undefined);
      if ('missingKey' in r) return { ...reply(fail(502, 'upstream_unconfigured', `upstream ${d.decision.model}: its key variable ${r.missingKey} is not set where serve-router runs`, { upstream: d.decision.model })), model: d.decision.model };
      up = r;
    }
    const gone = new AbortController();
    res.on('close', () => !res.writableFinished && gone.abort());
    const failure = await forward(up, res, headers, timeoutMs, gone.signal);
    if (failure) {
      sendJson(res, failure.status, { error: failure.error }, headers);
      return { ...meta, status: failure.status };
    }
    return meta;
  };

  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    const t0 = performance.now();
    handle(req, res, t0)
      .catch((err) => {
        if (!res.headersSent) sendJson(res, 500, { error: { type: 'internal', message: (err as Error).message } });
        else res.end();
        return { status: 500 } as { status: number; model?: string; task?: string; prompt?: string };
      })
      .then((m) => {
        if (!o.log && process.env.ROUTEPLAN_ROUTER_QUIET) return;
        log(`${new Date().toISOString()} ${req.method} ${(req.url ?? '').split('?')[0]} ${m.status} model=${m.model ?? '-'} task=${m.task ?? '-'} ${(performance.now() - t0).toFixed(2)}ms${m.prompt != null ? ` prompt=${JSON.stringify(m.prompt)}` : ''}`);
      });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    session,
    close: () => new Promise<void>((resolve) => (flush(), server.closeAllConnections(), server.close(() => resolve()))),
  };
}
