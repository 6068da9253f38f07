import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Policy } from '../../../src/main/engine/policy/format';
import { policyFromTraining } from '../../../src/main/engine/policy/from-training';
import { parseDeployment, resolveDeployment } from '../../../src/main/engine/policy/gateways/deployment';
import { batchBudget, PolicyRouter } from '../../../src/main/engine/policy/router';
import { RouterSession } from '../../../src/main/engine/policy/router-session';
import { sealPolicy } from '../../../src/main/engine/policy/verify';
import { startRouterService, type RouterService } from '../../../src/main/server/router-service';
import { trainRouterbenchPlanner, type TrainedPlanner } from '../engine/policy/trained';
import { repoRoot } from '../../helpers/engine';

let planner: TrainedPlanner;
let policy: Policy;
let stub: Server;
let stubUrl: string;
const seen: { url: string; headers: IncomingMessage['headers']; body: any }[] = [];
const services: RouterService[] = [];
const SSE = 'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {"choices":[{"delta":{"content":"b"}}]}\n\ndata: [DONE]\n\n';

/** A local stand-in for the providers, answering by the upstream model name it is sent. */
function startStub(): Promise<void> {
  stub = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      seen.push({ url: req.url!, headers: req.headers, body });
      if (body.model === 'fails') return res.writeHead(500, { 'content-type': 'application/json' }), res.end('{"error":{"message":"overloaded"}}');
      if (body.model === 'slow') return void setTimeout(() => res.end('{}'), 2000);
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const parts = SSE.split('\n\n').filter(Boolean);
        parts.forEach((p, i) => setTimeout(() => (res.write(p + '\n\n'), i === parts.length - 1 && res.end()), 5 * i));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', model: body.model, choices: [{ message: { role: 'assistant', content: 'ok' } }] }));
    });
  });
  return new Promise((resolve) => stub.listen(0, '127.0.0.1', () => ((stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`), resolve())));
}

const mapping = () =>
  parseDeployment(
    stringify({
      format: 'routeplan.deployment',
      version: 1,
      models: Object.fromEntries(
        policy.models.map((m) => {
          const base = { priceInPerM: 1, priceOutPerM: 1 };
          if (m.id === 'claude-v2' || m.id === 'claude-instant-v1') return [m.id, { ...base, provider: 'anthropic', endpoint: stubUrl, upstreamModel: `up-${m.id}` }];
          if (m.id === 'meta/llama-2-70b-chat') return [m.id, { ...base, provider: 'openai-compatible', endpoint: 'http://127.0.0.1:1/v1', apiKey: { env: 'STUB_KEY' } }];
          const upstreamModel = m.id === 'gpt-3.5-turbo-1106' ? 'fails' : m.id === 'claude-v1' ? 'slow' : `up-${m.id}`;
          return [m.id, { ...base, provider: 'openai-compatible', endpoint: `${stubUrl}/v1`, upstreamModel, apiKey: { env: 'STUB_KEY' } }];
        }),
      ),
    }),
  );

async function service(opts: Partial<Parameters<typeof startRouterService>[0]> = {}): Promise<RouterService> {
  const s = await startRouterService({ policy, log: () => {}, ...opts });
  services.push(s);
  return s;
}

async function post(s: RouterService, path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* SSE */
  }
  return { status: r.status, headers: r.headers, text, json };
}

const chat = (content: string, extra: Record<string, unknown> = {}) => ({ messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content }], ...extra });

beforeAll(async () => {
  planner = await trainRouterbenchPlanner(1);
  policy = await policyFromTraining({ name: 'serve', dataset: 'routerbench-train', seed: 1, createdAt: '2026-12-07T00:00:00.000Z', train: planner.train, predictor: planner.predictor, catalog: new Map(), budgetFraction: 0.3, batchSize: 100, strategy: 'online' });
  await startStub();
});

afterAll(async () => {
  for (const s of services) await s.close();
  await new Promise((r) => stub.close(r));
});

describe('serve-router: decisions', () => {
  it('answers the policy\'s decision for a prompt (header and JSON), the task inferred from the prompt or taken from the client', async () => {
    const s = await service();
    const i = planner.test.tasks.indexOf('mbpp');
    const text = planner.test.texts[i];
    const r = await post(s, '/v1/chat/completions', chat(text, { model: 'routeplan-auto' }));
    expect(r.status).toBe(200);
    const want = new PolicyRouter(policy).route([{ id: '1', text, task: null, inputTokens: null, allowed: null }], { strategy: 'online' });
    expect(r.json).toMatchObject({ model: want.decisions[0].model, task: 'mbpp', task_source: 'inferred', chosen_by: 'policy', policy_sha256: policy.contentHash });
    expect(r.json.probability).toBe(want.decisions[0].probability);
    expect(r.headers.get('x-routeplan-model')).toBe(r.json.model);
    expect(r.headers.get('x-ai-eg-model')).toBe(r.json.model);
    // The service's own decision time, for the gateway's logs (Server-Timing syntax).
    expect(r.headers.get('server-timing')).toMatch(/^decide;dur=\d+\.\d{3}$/);
    const labelled = await post(s, '/v1/routeplan/decide', chat(text, { task: 'winogrande' }));
    expect(labelled.json).toMatchObject({ task: 'winogrande', task_source: 'client' });
    const header = await post(s, '/v1/chat/completions', chat(text), { 'x-routeplan-task': 'arc-challenge' });
    expect(header.json).toMatchObject({ task: 'arc-challenge', task_source: 'client' });
    const state = await (await fetch(`${s.url}/v1/routeplan/state`)).json();
    expect(state.requests).toBe(3);
  });

  it('clear JSON errors: no messages, invalid JSON, unknown model, body over the limit, unknown route', async () => {
    const s = await service({ maxBodyBytes: 4096 });
    const cases: [string, unknown, number, string][] = [
      ['/v1/chat/completions', { model: 'routeplan-auto' }, 400, 'no_messages'],
      ['/v1/chat/completions', { messages: [] }, 400, 'no_messages'],
      ['/v1/messages', { messages: [{ role: 'assistant', content: 'hi' }] }, 400, 'no_messages'],
      ['/v1/chat/completions', '{"messages": [', 400, 'invalid_json'],
      ['/v1/chat/completions', chat('hi', { model: 'gpt-9' }), 400, 'unknown_model'],
      ['/v1/chat/completions', chat('x'.repeat(10_000)), 413, 'body_too_large'],
      ['/v1/embeddings', chat('hi'), 404, 'not_found'],
    ];
    for (const [path, body, status, type] of cases) {
      const r = await post(s, path, body);
      expect(r.status, type).toBe(status);
      expect(r.json.error.type, type).toBe(type);
      expect(typeof r.json.error.message).toBe('string');
    }
    expect((await post(s, '/v1/chat/completions', chat('hi', { model: 'gpt-9' }))).json.error.message).toMatch(/no model "gpt-9"/);
  });

  it('a token, when set, is required (401 JSON otherwise); binding beyond loopback without one is refused', async () => {
    const s = await service({ token: 's3cret' });
    expect((await post(s, '/v1/chat/completions', chat('hi'))).status).toBe(401);
    const wrong = await post(s, '/v1/chat/completions', chat('hi'), { authorization: 'Bearer s3creT' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.type).toBe('invalid_token');
    expect((await post(s, '/v1/chat/completions', chat('hi'), { authorization: 'Bearer s3cret' })).status).toBe(200);
    await expect(startRouterService({ policy, host: '0.0.0.0', log: () => {} })).rejects.toThrow(/not a loopback address: give a token/);
  });

  it('logs decisions, never the prompt unless asked', async () => {
    const lines: string[] = [];
    const quiet = await service({ log: (l) => lines.push(l) });
    await post(quiet, '/v1/chat/completions', chat('the secret prompt 42'));
    await new Promise((r) => setTimeout(r, 20));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/POST \/v1\/chat\/completions 200 model=/);
    expect(lines.join('\n')).not.toMatch(/secret prompt/);
    const loud = await service({ log: (l) => lines.push(l), logPrompts: true });
    await post(loud, '/v1/chat/completions', chat('the secret prompt 42'));
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.at(-1)).toMatch(/prompt="the secret prompt 42"/);
  });
});

describe('serve-router: forwarding to the mapped upstream', () => {
  const env = { STUB_KEY: 'k-openai', ANTHROPIC_API_KEY: 'k-anthropic' };

  it('forwards to the decided model with its upstream name and key, the task stripped, and passes the answer and SSE through', async () => {
    const s = await service({ deployment: resolveDeployment(policy, mapping()), env });
    seen.length = 0;
    const r = await post(s, '/v1/chat/completions', chat('Write a python function to reverse a list.', { model: 'gpt-4-1106-preview', task: 'mbpp' }));
    expect(r.status).toBe(200);
    expect(r.json.model).toBe('up-gpt-4-1106-preview');
    expect(r.headers.get('x-routeplan-model')).toBe('gpt-4-1106-preview');
    expect(seen[0]).toMatchObject({ url: '/v1/chat/completions', headers: { authorization: 'Bearer k-openai' } });
    expect(seen[0].body.task).toBeUndefined();
    expect(seen[0].body.messages[1].content).toBe('Write a python function to reverse a list.');
    const stream = await post(s, '/v1/chat/completions', chat('hi', { model: 'mistralai/mixtral-8x7b-chat', stream: true }));
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.text).toBe(SSE);
    // Claude on chat completions: Anthropic's OpenAI-compatible path at the API root, Bearer key.
    await post(s, '/v1/chat/completions', chat('hi', { model: 'claude-v2' }));
    expect(seen.at(-1)).toMatchObject({ url: '/v1/chat/completions', headers: { authorization: 'Bearer k-anthropic' }, body: { model: 'up-claude-v2' } });
  });

  it('/v1/messages goes only to Messages-API models, with x-api-key and anthropic-version', async () => {
    const s = await service({ deployment: resolveDeployment(policy, mapping()), env });
    seen.length = 0;
    const r = await post(s, '/v1/messages', { max_tokens: 16, messages: [{ role: 'user', content: planner.test.texts[0] }] }, { 'anthropic-version': '2023-06-01' });
    expect(r.status).toBe(200);
    expect(['claude-v2', 'claude-instant-v1']).toContain(r.headers.get('x-routeplan-model'));
    expect(seen[0]).toMatchObject({ url: '/v1/messages', headers: { 'x-api-key': 'k-anthropic', 'anthropic-version': '2023-06-01' } });
    expect(seen[0].headers.authorization).toBeUndefined();
    const refused = await post(s, '/v1/messages', { messages: [{ role: 'user', content: 'hi' }], model: 'gpt-4-1106-preview' });
    expect(refused.status).toBe(400);
  });

  it('an upstream error, a timeout, an unreachable upstream or a missing key: JSON errors naming the upstream, no switch to another model', async () => {
    const s = await service({ deployment: resolveDeployment(policy, mapping()), env, upstreamTimeoutMs: 300 });
    const failed = await post(s, '/v1/chat/completions', chat('hi', { model: 'gpt-3.5-turbo-1106' }));
    expect(failed.status).toBe(500);
    expect(failed.json.error).toMatchObject({ type: 'upstream_error', upstream: 'gpt-3.5-turbo-1106', upstream_status: 500, upstream_body: { error: { message: 'overloaded' } } });
    const slow = await post(s, '/v1/chat/completions', chat('hi', { model: 'claude-v1' }));
    expect(slow.status).toBe(504);
    expect(slow.json.error).toMatchObject({ type: 'upstream_timeout', upstream: 'claude-v1', timeout_ms: 300 });
    const down = await post(s, '/v1/chat/completions', chat('hi', { model: 'meta/llama-2-70b-chat' }));
    expect(down.status).toBe(502);
    expect(down.json.error).toMatchObject({ type: 'upstream_unreachable', upstream: 'meta/llama-2-70b-chat', upstream_url: 'http://127.0.0.1:1/v1/chat/completions' });
    const noKey = await service({ deployment: resolveDeployment(policy, mapping()), env: {} });
    const r = await post(noKey, '/v1/chat/completions', chat('hi', { model: 'gpt-4-1106-preview' }));
    expect(r.status).toBe(502);
    expect(r.json.error.message).toMatch(/STUB_KEY is not set/);
  });

  it('through a gateway: the decided policy model id in the body and in x-ai-eg-model', async () => {
    const s = await service({ gateway: stubUrl });
    seen.length = 0;
    const r = await post(s, '/v1/chat/completions', chat(planner.test.texts[5], { model: 'routeplan-auto' }));
    expect(r.status).toBe(200);
    const model = r.headers.get('x-routeplan-model');
    expect(seen[0]).toMatchObject({ url: '/v1/chat/completions', headers: { 'x-ai-eg-model': model }, body: { model } });
  });
});

describe('budget state across requests', () => {
  it('a batch window decides the requests arriving within it together by the batch rule, within the batch budget', async () => {
    const s = await service({ batchWindowMs: 5_000, batchMax: 12 });
    const texts = planner.test.texts.slice(0, 12);
    // Twelve concurrent requests fill the batch (batchMax) long before the window closes.
    const replies = await Promise.all(texts.map((t) => post(s, '/v1/routeplan/decide', chat(t))));
    for (const r of replies) expect(r.json).toMatchObject({ strategy: 'batch', chosen_by: 'policy' });
    const st = s.session.state();
    expect(st.requests).toBe(12);
    // The batch rule holds the batch's budget on estimated costs (unless it fell back to the cheapest models).
    expect(st.estimatedSpend).toBeLessThanOrEqual(st.budget + 1e-12);
    // Decided as one batch: the budget the session added is that of these twelve queries.
    const router = new PolicyRouter(policy);
    const q = texts.map((text, i) => ({ id: String(i), text, task: null, inputTokens: null, allowed: null }));
    const whole = router.route(q, { strategy: 'batch', batchSize: 12 });
    expect(st.budget).toBeCloseTo(batchBudget(policy, whole.cost, 12, router.modelIndex), 12);
    // A window of fewer requests than batchMax closes on its timer.
    const t = await service({ batchWindowMs: 30, batchMax: 100 });
    const two = await Promise.all(texts.slice(0, 2).map((x) => post(t, '/v1/routeplan/decide', chat(x))));
    expect(two.map((r) => r.json.strategy)).toEqual(['batch', 'batch']);
    expect(t.session.state().requests).toBe(2);
  });

  it('the running estimated spend never passes the running budget by more than one batch, even when the rule alone would', () => {
    // λ = 0: the online rule ignores cost and would spend far over the budget on its own.
    const { contentHash: _h, ...unsigned } = policy;
    const greedy = sealPolicy({ ...unsigned, strategy: { ...unsigned.strategy, online: { ...unsigned.strategy.online, lambda: 0 } } });
    const session = new RouterSession(new PolicyRouter(greedy), { reserveQueries: 10 });
    const free = new PolicyRouter(greedy).route(planner.test.texts.slice(0, 300).map((text, i) => ({ id: String(i), text, task: null, inputTokens: null, allowed: null })), { strategy: 'online' });
    let freeSpend = 0;
    free.decisions.forEach((d) => (freeSpend += d.estimated_cost));
    for (let i = 0; i < 300; i++) {
      session.decide({ id: String(i), text: planner.test.texts[i], task: null, inputTokens: null, allowed: null });
      const st = session.state();
      expect(st.estimatedSpend).toBeLessThanOrEqual(st.budget + (st.budget / st.requests) * 10 + 1e-12);
    }
    const st = session.state();
    expect(freeSpend).toBeGreaterThan(st.budget * 1.2);
    expect(st.paced).toBeGreaterThan(0);
  });
});

// LiteLLM is not installable here: its documented hook signature is stubbed (CustomLogger from
// litellm.integrations.custom_logger; async_pre_call_hook(self, user_api_key_dict, cache, data,
// call_type), docs.litellm.ai/docs/proxy/call_hooks) and the shipped script runs on python3.
const python = '/usr/bin/python3';
describe.skipIf(!existsSync(python) && !process.env.CI)('the shipped LiteLLM pre-call hook (reference/litellm)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'routeplan-litellm-'));
    mkdirSync(join(dir, 'litellm/integrations'), { recursive: true });
    writeFileSync(join(dir, 'litellm/__init__.py'), '');
    writeFileSync(join(dir, 'litellm/integrations/__init__.py'), '');
    writeFileSync(join(dir, 'litellm/integrations/custom_logger.py'), 'class CustomLogger:\n    def __init__(self, *a, **k):\n        pass\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const runHook = (data: unknown, env: Record<string, string>) =>
    new Promise<any>((resolve, reject) => {
      const script = [
        'import asyncio, inspect, json, sys',
        'import routeplan_litellm_hook as h',
        'sig = list(inspect.signature(h.RouteplanRouter.async_pre_call_hook).parameters)',
        'assert sig == ["self", "user_api_key_dict", "cache", "data", "call_type"], sig',
        'assert asyncio.iscoroutinefunction(h.RouteplanRouter.async_pre_call_hook)',
        'data = json.loads(sys.stdin.read())',
        'out = asyncio.run(h.proxy_handler_instance.async_pre_call_hook(None, None, data, "completion"))',
        'print(json.dumps(out))',
      ].join('\n');
      const child = execFile(python, ['-c', script], { env: { PYTHONPATH: `${dir}:${join(repoRoot, 'reference/litellm')}`, PYTHONDONTWRITEBYTECODE: '1', ...env }, timeout: 20_000 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(JSON.parse(stdout))));
      child.stdin!.end(JSON.stringify(data));
    });

  it('routeplan-auto becomes the policy model serve-router decides (token sent, task passed on); other models untouched', async () => {
    const s = await service({ token: 'hook-token' });
    const text = planner.test.texts[planner.test.tasks.indexOf('winogrande')];
    const env = { ROUTEPLAN_ROUTER_URL: s.url, ROUTEPLAN_ROUTER_TOKEN_ENV: 'RP_TOKEN', RP_TOKEN: 'hook-token' };
    const out = await runHook({ model: 'routeplan-auto', messages: [{ role: 'user', content: text }] }, env);
    const want = new PolicyRouter(policy).route([{ id: '1', text, task: null, inputTokens: null, allowed: null }], { strategy: 'online' }).decisions[0].model;
    expect(out.model).toBe(want);
    expect(policy.models.map((m) => m.id)).toContain(out.model);
    expect(out.metadata.routeplan).toMatchObject({ model: want, task: 'winogrande', task_source: 'inferred', policy_sha256: policy.contentHash });
    const labelled = await runHook({ model: 'routeplan-auto', task: 'mbpp', messages: [{ role: 'user', content: text }] }, env);
    expect(labelled.metadata.routeplan).toMatchObject({ task: 'mbpp', task_source: 'client' });
    expect(labelled.task).toBeUndefined();
    const chosen = await runHook({ model: 'claude-v2', messages: [{ role: 'user', content: text }] }, env);
    expect(chosen.model).toBe('claude-v2');
    expect(chosen.metadata).toBeUndefined();
  });

  it('when the router is down or refuses the token, routeplan-auto stays for the static split, with the reason in metadata', async () => {
    const down = await runHook({ model: 'routeplan-auto', messages: [{ role: 'user', content: 'hi' }] }, { ROUTEPLAN_ROUTER_URL: 'http://127.0.0.1:1', ROUTEPLAN_ROUTER_TIMEOUT: '1' });
    expect(down.model).toBe('routeplan-auto');
    expect(down.metadata.routeplan_fallback).toMatch(/^static split: serve-router did not decide/);
    const s = await service({ token: 'other' });
    const refused = await runHook({ model: 'routeplan-auto', messages: [{ role: 'user', content: 'hi' }] }, { ROUTEPLAN_ROUTER_URL: s.url });
    expect(refused.model).toBe('routeplan-auto');
    expect(refused.metadata.routeplan_fallback).toMatch(/Unauthorized|401/);
  });
});
