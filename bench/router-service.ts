// `npm run bench router`, serve-router sections: decisions per second and decision latency of the
// HTTP service under a bounded loopback load (a child process, measured per CPU-second of that
// process and wall-clock), with and without forwarding to a local stub upstream; and RouterBench
// test spend and quality of route with and without task labels and of the static split.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LabelMatrix } from '../src/main/engine/data/matrix';
import type { Policy } from '../src/main/engine/policy/format';
import { staticSplit } from '../src/main/engine/policy/gateways/static-split';
import { realisedOutcome, splitOutcome, type RealisedOutcome } from '../src/main/engine/policy/labelled-outcome';
import { PolicyRouter } from '../src/main/engine/policy/router';
import { policyText } from '../src/main/engine/policy/verify';

const MAX_REQUESTS = 20_000;
const MAX_MS = 8_000;

function child(args: string[]): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'router-service-child.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.stdout!.once('data', (d) => resolve({ proc, port: Number(String(d).trim()) }));
    proc.once('exit', (code) => reject(new Error(`bench child ${args[0]} exited ${code}`)));
  });
}

/** CPU seconds (user + system) of a process so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Status and the service's own decision time (its Server-Timing header; NaN from the stub). */
function post(agent: Agent, port: number, path: string, body: string): Promise<{ status: number; serverMs: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      const timing = /decide;dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, serverMs: timing ? Number(timing[1]) : NaN }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Load {
  perSec: number;
  perCpuSec: number;
  p50: number;
  p99: number;
  /** Inside the service (Server-Timing): from the request's arrival to its decision. */
  serverP50: number;
  serverP99: number;
  n: number;
  errors: number;
}

/** `concurrency` keep-alive clients send the bodies round-robin until MAX_REQUESTS or MAX_MS. */
async function load(port: number, pid: number, path: string, bodies: string[], concurrency: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  // Warm-up: one pass over the prompts (JIT, and the featuriser's token memo, as in a long-running router).
  for (let i = 0; i < Math.min(bodies.length, 2000); i++) await post(agent, port, path, bodies[i % bodies.length]);
  const lat: number[] = [];
  const server: number[] = [];
  let next = 0;
  let errors = 0;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const worker = async () => {
    while (next < MAX_REQUESTS && performance.now() - t0 < MAX_MS) {
      const body = bodies[next++ % bodies.length];
      const s = performance.now();
      const r = await post(agent, port, path, body);
      if (r.status !== 200) errors++;
      lat.push(performance.now() - s);
      if (Number.isFinite(r.serverMs)) server.push(r.serverMs);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  const cpu = cpuSeconds(pid) - cpu0;
  agent.destroy();
  lat.sort((a, b) => a - b);
  server.sort((a, b) => a - b);
  const q = (xs: number[], f: number) => (xs.length ? xs[Math.floor(xs.length * f)] : NaN);
  return { perSec: (lat.length * 1000) / ms, perCpuSec: lat.length / cpu, p50: q(lat, 0.5), p99: q(lat, 0.99), serverP50: q(server, 0.5), serverP99: q(server, 0.99), n: lat.length, errors };
}

export async function runServiceBench(policy: Policy, test: LabelMatrix, printTable: (rows: string[][]) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'routeplan-bench-'));
  const procs: ChildProcess[] = [];
  try {
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, policyText(policy));
    const stub = await child(['stub']);
    procs.push(stub.proc);
    const mappingFile = join(dir, 'mapping.yaml');
    writeFileSync(mappingFile, stringify({ format: 'routeplan.deployment', version: 1, models: Object.fromEntries(policy.models.map((m) => [m.id, { provider: 'openai-compatible', endpoint: `http://127.0.0.1:${stub.port}/v1`, apiKey: { env: 'STUB_KEY' }, priceInPerM: 1, priceOutPerM: 1 }])) }));
    const decide = await child(['router', policyFile]);
    const fwd = await child(['router', policyFile, mappingFile]);
    procs.push(decide.proc, fwd.proc);
    const bodies = (texts: string[]) => texts.map((t) => JSON.stringify({ model: 'routeplan-auto', messages: [{ role: 'user', content: t }] }));
    const sets = { 'routerbench prompts (no task)': test.texts, 'last 300 chars (no task)': test.texts.map((t) => t.slice(-300)) };
    const rows: string[][] = [['service', 'query set', 'clients', 'requests', 'decisions/s per CPU-s (server)', 'decisions/s wall', 'round trip p50 ms', 'round trip p99 ms', 'decision p50 ms (server)', 'decision p99 ms (server)', 'errors']];
    const ms3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '-');
    const row = (name: string, set: string, c: number, l: Load) => rows.push([name, set, String(c), String(l.n), l.perCpuSec.toFixed(0), l.perSec.toFixed(0), ms3(l.p50), ms3(l.p99), ms3(l.serverP50), ms3(l.serverP99), String(l.errors)]);
    for (const [set, texts] of Object.entries(sets)) {
      const b = bodies(texts);
      row('decide', set, 1, await load(decide.port, decide.proc.pid!, '/v1/chat/completions', b, 1));
      row('decide', set, 8, await load(decide.port, decide.proc.pid!, '/v1/chat/completions', b, 8));
    }
    const b = bodies(sets['last 300 chars (no task)']);
    const direct = await load(stub.port, stub.proc.pid!, '/v1/chat/completions', b, 1);
    const viaRouter = await load(fwd.port, fwd.proc.pid!, '/v1/chat/completions', b, 1);
    row('stub upstream, direct', 'last 300 chars', 1, direct);
    row('forward to stub', 'last 300 chars', 1, viaRouter);
    const decideOnly = await load(decide.port, decide.proc.pid!, '/v1/chat/completions', b, 1);
    row('decide (same run)', 'last 300 chars', 1, decideOnly);
    console.log(`\nserve-router under a loopback load (at most ${MAX_REQUESTS} requests or ${MAX_MS / 1000} s per row; round trip = seen by the client, decision = the service's Server-Timing; server = a child process, one core):`);
    printTable(rows);
    console.log(`forwarding adds ${(viaRouter.p50 - direct.p50).toFixed(3)} ms p50 over a direct call to the same stub (the decision included), ${(viaRouter.p50 - direct.p50 - decideOnly.p50).toFixed(3)} ms beyond decide-only's p50`);
  } finally {
    for (const p of procs) p.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** RouterBench test: route with and without task labels, and the static split, scored on the labels. */
export function runQualityBench(policy: Policy, test: LabelMatrix, printTable: (rows: string[][]) => void): void {
  const router = new PolicyRouter(policy);
  const b = policy.strategy.batch.budget;
  const ref = b.kind === 'fraction-of-model' ? b.model : policy.models[0].id;
  const f = b.kind === 'fraction-of-model' ? b.fraction : 0;
  const rows: string[][] = [['routing', 'spend USD', 'budget USD', 'spend / budget', 'mean accuracy', `accuracy / ${ref}`, 'task inferred right']];
  const add = (name: string, o: RealisedOutcome, taskRight = '') => rows.push([name, o.spend.toFixed(3), o.budget.toFixed(3), (o.spend / o.budget).toFixed(3), o.accuracy.toFixed(4), o.relativeAccuracy.toFixed(4), taskRight]);
  const variants = [
    { name: 'online', opts: { strategy: 'online' as const } },
    { name: 'batch(100)', opts: { strategy: 'batch' as const } },
    { name: 'batch(100) --budget-confidence 0.95', opts: { strategy: 'batch' as const, budgetConfidence: 0.95 } },
  ];
  for (const v of variants) {
    for (const labelled of [true, false]) {
      const r = router.route(test.texts.map((text, i) => ({ id: String(i), text, task: labelled ? test.tasks[i] : null, inputTokens: null, allowed: null })), v.opts);
      const right = r.tasks.filter((t, i) => t === test.tasks[i]).length;
      add(`route ${v.name}, ${labelled ? 'with tasks' : 'no task'}`, realisedOutcome(test, r.assignment, ref, f), labelled ? '' : `${right}/${test.texts.length}`);
    }
  }
  const s = staticSplit(policy);
  add('static split (Envoy / LiteLLM weights)', splitOutcome(test, s.percent.map((w) => w / 100), ref, f));
  add("the plan's shares as a split (before)", splitOutcome(test, policy.models.map((m) => m.trafficShare), ref, f));
  console.log(`\nRouterBench test (${test.texts.length} prompts), realised cost and accuracy; budget = ${f} x ${ref}'s realised spend:`);
  printTable(rows);
}
