import { Agent as HttpAgent, request as httpRequest, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Deployment } from '../engine/policy/gateways/deployment';

/** A request the router service sends on: where, with which headers and body. */
export interface UpstreamRequest {
  model: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type ClientApi = 'chat' | 'messages';

/**
 * The provider request for a decided model, straight from the deployment mapping: OpenAI-API
 * providers at endpoint + /chat/completions with a Bearer key; Claude at Anthropic's root +
 * /v1/messages (x-api-key, anthropic-version) for a Messages client, or its OpenAI-compatible
 * /v1/chat/completions for a chat client. The body's model becomes the upstream's own name.
 */
export function providerRequest(m: Deployment, api: ClientApi, body: Record<string, unknown>, env: NodeJS.ProcessEnv, anthropicVersion?: string): UpstreamRequest | { missingKey: string } {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = m.apiKey ? env[m.apiKey.env] : undefined;
  if (m.apiKey && !key) return { missingKey: m.apiKey.env };
  const base = m.endpoint.href.replace(/\/+$/, '');
  let url: string;
  if (m.provider === 'anthropic' && api === 'messages') {
    url = `${base}/v1/messages`;
    if (key) headers['x-api-key'] = key;
    headers['anthropic-version'] = anthropicVersion ?? '2023-06-01';
  } else {
    url = m.provider === 'anthropic' ? `${base}/v1/chat/completions` : `${base}/chat/completions`;
    if (key) headers.authorization = `Bearer ${key}`;
  }
  return { model: m.id, url, headers, body: JSON.stringify({ ...body, model: m.upstreamModel }) };
}

/** Back through a gateway (Envoy AI Gateway, LiteLLM): the policy's model id in the body and in x-ai-eg-model. */
export function gatewayRequest(gateway: string, path: string, model: string, body: Record<string, unknown>): UpstreamRequest {
  return { model, url: `${gateway.replace(/\/+$/, '')}${path}`, headers: { 'content-type': 'application/json', 'x-ai-eg-model': model }, body: JSON.stringify({ ...body, model }) };
}

export type ForwardFailure = { status: number; error: Record<string, unknown> };

// Keep-alive connections to the upstreams, as a gateway keeps them (a new TLS handshake per request would dominate).
const agents = { 'http:': new HttpAgent({ keepAlive: true, maxSockets: 256 }), 'https:': new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };

/**
 * Sends the request and streams the answer back as it arrives (server-sent events pass through
 * byte for byte). The timeout covers the wait for the upstream's headers and, after that, each
 * silence between chunks. An upstream error status is answered with the same status and a JSON
 * error naming the upstream and carrying its body; never a silent switch to another model.
 */
export function forward(up: UpstreamRequest, res: ServerResponse, extraHeaders: Record<string, string>, timeoutMs: number, clientGone: AbortSignal): Promise<ForwardFailure | null> {
  const named = { upstream: up.model, upstream_url: up.url };
  return new Promise((resolve) => {
    const u = new URL(up.url);
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (v: ForwardFailure | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clientGone.removeEventListener('abort', onGone);
      resolve(v);
    };
    const body = Buffer.from(up.body);
    const req = send(u, { method: 'POST', agent: agents[u.protocol as 'http:' | 'https:'], headers: { ...up.headers, 'content-length': String(body.length) } });
    let timer = setTimeout(() => {
      done(res.headersSent ? (res.end(), null) : { status: 504, error: { type: 'upstream_timeout', message: `upstream ${up.model} did not answer within ${timeoutMs} ms`, ...named, timeout_ms: timeoutMs } });
      req.destroy();
    }, timeoutMs);
    const onGone = () => (req.destroy(), done(null));
    clientGone.addEventListener('abort', onGone, { once: true });
    req.on('error', (err) => done(res.headersSent ? (res.end(), null) : { status: 502, error: { type: 'upstream_unreachable', message: `upstream ${up.model} cannot be reached: ${err.message}`, ...named } }));
    req.on('response', (r) => {
      const status = r.statusCode ?? 502;
      if (status >= 400) {
        const chunks: Buffer[] = [];
        let size = 0;
        r.on('data', (c: Buffer) => ((size += c.length), size <= 64 * 1024 && chunks.push(c)));
        r.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON: passed as text */
          }
          done({ status, error: { type: 'upstream_error', message: `upstream ${up.model} answered ${status}`, ...named, upstream_status: status, upstream_body: parsed } });
        });
        return;
      }
      res.writeHead(status, { 'content-type': String(r.headers['content-type'] ?? 'application/json'), 'cache-control': 'no-store', ...extraHeaders });
      r.on('data', (c: Buffer) => {
        clearTimeout(timer);
        timer = setTimeout(() => (req.destroy(), res.end(), done(null)), timeoutMs);
        res.write(c);
      });
      r.on('end', () => (res.end(), done(null)));
      r.on('error', () => (res.end(), done(null)));
    });
    req.end(body);
  });
}
