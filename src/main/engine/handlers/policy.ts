import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PolicyExportResult, PolicyFileFormat, PolicyFormatInfo, PolicySummary } from '../../../shared/contract/policy';
import { encodeInWorker } from '../features/encoder-pool';
import { withinSpan, type JobContext } from '../jobs/context';
import { faultPointAsync } from '../jobs/fault-point';
import { EngineError } from '../../../shared/errors';
import type { HandlerGroup } from '../engine';
import type { Policy } from '../policy/format';
import { gatewayFormats } from '../policy/gateways';
import { parseDeployment, resolveDeployment, type DeploymentFile } from '../policy/gateways/deployment';
import { PolicyRouter } from '../policy/router';
import { policyText, readPolicy } from '../policy/verify';
import { discardStagedExport } from '../policy/export-folder';
import { buildExport, readExportSources, stageProgress, storeExport, type PolicyExportInput } from '../policy/export-job';
import type { PolicyExportPayload, StoredExport } from '../policy/export-task';
import { workspaceSigningKey } from '../policy/signing';
import type { EngineServices } from '../services';
import { deletePolicy, getPolicy, listPolicyHeads, type PolicyHead, type PolicyRecord } from '../store/policies';

type PolicyMethod = 'policy.formats' | 'policy.export' | 'policy.list' | 'policy.delete' | 'policy.preview' | 'policy.render';

const formats: PolicyFormatInfo[] = [
  { format: 'policy-json', title: 'routeplan policy (JSON, for routeplan route)', file: 'policy.json' },
  ...(Object.entries(gatewayFormats) as [Exclude<PolicyFileFormat, 'policy-json'>, (typeof gatewayFormats)[keyof typeof gatewayFormats]][]).map(([format, g]) => ({ format, title: g.title, file: g.file })),
];

function render(policy: Policy, format: PolicyFileFormat, deployment?: DeploymentFile): string {
  return format === 'policy-json' ? policyText(policy) : gatewayFormats[format].render(policy, resolveDeployment(policy, deployment));
}

function summary(rec: PolicyRecord, p: Policy): PolicySummary {
  return { id: rec.id, name: rec.name, formatVersion: rec.formatVersion, contentHash: rec.contentHash, createdAt: rec.createdAt, models: p.models.map((m) => m.id), strategy: p.strategy.default, lambda: p.strategy.online.lambda, budgetFraction: p.provenance.budgetFraction, bytes: rec.body.length };
}

export function policyHandlers(s: EngineServices): HandlerGroup<PolicyMethod> {
  /** A stored policy, verified again: the router never runs on what it could not verify. */
  // A large policy (an ensemble of 20 heads is ~96 MB) takes seconds to read, parse and verify on
  // the main thread, where every other request waits: the verified policy and every summary are
  // kept by content hash, so the list, a preview and an export pay that once, not on every call.
  const verified = new Map<string, { rec: PolicyRecord; policy: Policy }>();
  const summaries = new Map<string, Omit<PolicySummary, 'id' | 'name' | 'createdAt'>>();
  const exporting = new Set<string>();
  const load = (id: number): { rec: PolicyRecord; policy: Policy } => {
    const rec = getPolicy(s.db(), id);
    if (!rec) throw new EngineError('NOT_FOUND', `no policy ${id}`, { id });
    // Keyed by the body's own digest (fast next to parsing), so a body changed behind our back is
    // read and verified again rather than served from memory.
    const key = createHash('sha1').update(rec.body).digest('hex');
    const hit = verified.get(key);
    if (hit) return { rec, policy: hit.policy };
    const loaded = { rec, policy: readPolicy(rec.body, `policy ${id}`) };
    if (verified.size >= 2) verified.delete(verified.keys().next().value!);
    verified.set(key, loaded);
    return loaded;
  };
  const summaryOf = (head: PolicyHead): PolicySummary => {
    let known = summaries.get(head.contentHash);
    if (!known) {
      const rec = getPolicy(s.db(), head.id)!;
      const { id: _id, name: _name, createdAt: _createdAt, ...rest } = summary(rec, JSON.parse(rec.body) as Policy);
      known = rest;
      summaries.set(head.contentHash, known);
    }
    return { ...known, id: head.id, name: head.name, createdAt: head.createdAt };
  };
  // An in-memory workspace (tests) cannot be opened from a worker thread: the same code runs here.
  const exportInThisThread = async (input: PolicyExportInput, createdAt: string, ctx: JobContext): Promise<StoredExport> => {
    const built = await buildExport(readExportSources(s.db(), input), input, { createdAt, signingKey: workspaceSigningKey(':memory:'), encode: encodeInWorker(s, ctx), progress: stageProgress(withinSpan(ctx, [0.01, 0.95])) });
    await faultPointAsync('policy.planned', ctx.signal);
    ctx.check();
    const { body, ...rest } = built;
    return { ...rest, id: storeExport(s.db(), input, built, () => ctx.check()), bytes: body.length };
  };
  // The whole export in a worker thread on its own connections, the row's insert included (a
  // 100 MB body takes seconds to write). The worker waits at its commit for the engine thread to
  // open the gate; from then on a cancel no longer stops it, so the row and the folder land together.
  const exportInWorker = async (path: string, input: PolicyExportInput, createdAt: string, ctx: JobContext): Promise<StoredExport> => {
    const gate = new Int32Array(new SharedArrayBuffer(4));
    const stop = new AbortController();
    let landing = false;
    let asked = false;
    const onCancel = () => landing || stop.abort();
    ctx.signal.addEventListener('abort', onCancel, { once: true });
    const open = async () => {
      await faultPointAsync('policy.planned', ctx.signal);
      if (ctx.signal.aborted) return;
      landing = true;
      Atomics.store(gate, 0, 1);
      Atomics.notify(gate, 0);
    };
    const workerCtx: JobContext = {
      signal: stop.signal,
      check: () => ctx.check(),
      progress: (u) => {
        ctx.progress(u);
        if (u.stage === 'commit' && !asked) {
          asked = true;
          void open();
        }
      },
    };
    try {
      return await s.inWorker<StoredExport>('policy.export', { workspacePath: path, input, createdAt, gate: gate.buffer as SharedArrayBuffer } satisfies PolicyExportPayload, workerCtx, { span: [0.01, 1] });
    } finally {
      ctx.signal.removeEventListener('abort', onCancel);
    }
  };
  return {
    'policy.formats': () => formats,
    'policy.export': async (input, ctx) => {
      const path = s.workspacePath();
      const createdAt = s.now().toISOString();
      if (input.outDir) {
        // One export per folder at a time: both would stage in the same sibling folder.
        const dir = resolve(input.outDir);
        if (exporting.has(dir)) throw new EngineError('CONFLICT', `another export into ${input.outDir} is running; wait for it or choose another folder`, { path: input.outDir });
        exporting.add(dir);
      }
      try {
        ctx.progress({ stage: 'load', fraction: 0 });
        const stored = path === ':memory:' ? await exportInThisThread(input, createdAt, ctx) : await exportInWorker(path, input, createdAt, ctx);
        const { id, facts, bytes } = stored;
        const known = { formatVersion: facts.version, contentHash: facts.contentHash, models: facts.models, strategy: facts.strategy, lambda: facts.lambda, budgetFraction: facts.budgetFraction, bytes };
        // The list shows it without parsing its body back.
        summaries.set(facts.contentHash, known);
        const result: PolicyExportResult = {
          id,
          name: input.name,
          createdAt: facts.createdAt,
          ...known,
          mu: facts.mu,
          trafficShare: facts.trafficShare,
          metrics: facts.metrics,
          files: stored.files.map((file) => join(input.outDir!, file)),
          warnings: stored.warnings,
        };
        return result;
      } finally {
        if (input.outDir) {
          // Staged files of a failed, cancelled or terminated export; nothing after a commit.
          discardStagedExport(input.outDir);
          exporting.delete(resolve(input.outDir));
        }
      }
    },
    'policy.list': () => listPolicyHeads(s.db()).map(summaryOf),
    'policy.delete': ({ id }) => ({ deleted: deletePolicy(s.db(), id) }),
    'policy.preview': ({ id, queries, strategy, batchSize }) => {
      const { policy } = load(id);
      const router = new PolicyRouter(policy);
      const k = policy.models.length;
      const routed = router.route(queries.map((q, i) => ({ id: String(i), text: q.text, task: q.task ?? null, inputTokens: null, allowed: null })), { strategy, batchSize });
      return routed.decisions.map((d, i) => ({
        text: queries[i].text,
        task: queries[i].task ?? null,
        model: d.model,
        probability: d.probability,
        estimatedCost: d.estimated_cost,
        probabilities: Array.from(routed.p.subarray(i * k, (i + 1) * k)),
      }));
    },
    'policy.render': ({ id, format, path, deployment, deploymentYaml }) => {
      const { policy } = load(id);
      const mapping = deployment ?? (deploymentYaml?.trim() ? parseDeployment(deploymentYaml, 'deployment mapping') : undefined);
      const text = render(policy, format, mapping);
      const file = formats.find((f) => f.format === format)!.file;
      if (path) writeFileSync(path, text);
      return { format, file, text, ...(path ? { path } : {}) };
    },
  };
}
