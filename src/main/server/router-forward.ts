import type { ServerResponse } from 'node:http';
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

/**
 * Sends the request and streams the answer back as it arrives (server-sent events pass through
 * byte for byte). The timeout covers the wait for the upstream's headers and, after that, each
 * silence between chunks. An upstream error status is answered with the same status and a JSON
 * error naming the upstream and carrying its body; never a silent switch to another model.
 */
export async function forward(up: UpstreamRequest, res: ServerResponse, extraHeaders: Record<string, string>, timeoutMs: number, clientGone: AbortSignal): Promise<ForwardFailure | null> {
  const ctl = new AbortController();
  let timedOut = false;
  let timer = setTimeout(() => ((timedOut = true), ctl.abort()), timeoutMs);
  const onGone = () => ctl.abort();
  clientGone.addEventListener('abort', onGone, { once: true });
  const named = { upstream: up.model, upstream_url: up.url };
  try {
    let r: Response;
    try {
      r = await fetch(up.url, { method: 'POST', headers: up.headers, body: up.body, signal: ctl.signal });
    } catch (err) {
      if (timedOut) return { status: 504, error: { type: 'upstream_timeout', message: `upstream ${up.model} did not answer within ${timeoutMs} ms`, ...named, timeout_ms: timeoutMs } };
      return { status: 502, error: { type: 'upstream_unreachable', message: `upstream ${up.model} cannot be reached: ${(err as Error).cause ? String((err as { cause: Error }).cause.message ?? (err as { cause: unknown }).cause) : (err as Error).message}`, ...named } };
    }
    if (r.status >= 400) {
      const text = (await r.text()).slice(0, 64 * 1024);
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: passed as text */
      }
      return { status: r.status, error: { type: 'upstream_error', message: `upstream ${up.model} answered ${r.status}`, ...named, upstream_status: r.status, upstream_body: parsed } };
    }
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store', ...extraHeaders });
    if (r.body) {
      for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(timer);
        timer = setTimeout(() => ((timedOut = true), ctl.abort()), timeoutMs);
        res.write(chunk);
      }
    }
    res.end();
    return null;
  } catch (err) {
    // Mid-stream: the status is already sent; end the stream (an SSE client sees it cut).
    if (!res.headersSent) return { status: timedOut ? 504 : 502, error: { type: timedOut ? 'upstream_timeout' : 'upstream_error', message: `upstream ${up.model}: ${(err as Error).message}`, ...named } };
    res.end();
    return null;
  } finally {
    clearTimeout(timer);
    clientGone.removeEventListener('abort', onGone);
  }
}
