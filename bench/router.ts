// `npm run bench router`: the reference router's throughput on one core (this thread), with the
// built-in featuriser, against baselines measured in the same run: JSON parsing of the query
// lines alone and featurisation alone. Two query sets: RouterBench's test prompts as they are
// (long few-shot prompts) and production-length queries (the last 300 and 100 characters of each).
import { readRouterbench, testFiles, trainFiles } from '../tests/helpers/routerbench';
import { BuiltinFeaturizer } from '../src/main/engine/features/builtin';
import { fitDefaultPredictor } from '../src/main/engine/predictor/api';
import { policyFromTraining } from '../src/main/engine/policy/from-training';
import { jsonlLines, parseQueryLine, type RouteQuery } from '../src/main/engine/policy/queries';
import { PolicyRouter } from '../src/main/engine/policy/router';
import { evaluateOnlineRule } from '../src/main/engine/policy/online-eval';
import { estimatedCosts, shrinkToTaskPrior, trainingStats } from '../src/main/engine/evaluation/costs';
import { policyText, readPolicy } from '../src/main/engine/policy/verify';
import { selectRows } from '../src/main/engine/data/matrix';
import { createRng, permutation } from '../src/main/engine/predictor/rng';
import { runQualityBench, runServiceBench } from './router-service';

/**
 * Throughput of `body` (returns items done). `perCpuSec` divides by this process's CPU time
 * (user + system), i.e. queries per second of one busy core, which stays meaningful when other
 * work shares the machine; `perSec` is wall-clock.
 */
function timeIt(minMs: number, body: () => number): { perSec: number; perCpuSec: number; items: number; ms: number } {
  body(); // warm-up: JIT and the featuriser's token memo, as in a long-running router
  let items = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  do items += body();
  while (performance.now() - t0 < minMs);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { perSec: (items * 1000) / ms, perCpuSec: (items * 1e6) / (cpu.user + cpu.system), items, ms };
}

export async function run(): Promise<void> {
  const train = readRouterbench(trainFiles);
  const test = readRouterbench(testFiles);
  const predictor = await fitDefaultPredictor(train, { seed: 1 });
  const policy = readPolicy(policyText(await policyFromTraining({ name: 'bench', dataset: 'routerbench-train', seed: 1, createdAt: new Date(0).toISOString(), train, predictor, catalog: new Map(), budgetFraction: 0.3, batchSize: 100, strategy: 'online' })));
  // One-time cost of a router process: verify the signed file (hash, schema) and load the heads.
  const text = policyText(policy);
  const t0 = performance.now();
  const router = new PolicyRouter(readPolicy(text));
  console.log(`policy ${(text.length / 1e6).toFixed(1)} MB: verify + load ${(performance.now() - t0).toFixed(0)} ms (once per router process); scorer: ${router.scorerName}`);
  const featurizer = BuiltinFeaturizer.fromSpec(policy.featurizer.spec);
  // ROUTEPLAN_BENCH_ROUTER=service runs only the serve-router and task-free sections.
  runQualityBench(policy, test, printTable);
  await runServiceBench(policy, test, printTable);
  if (process.env.ROUTEPLAN_BENCH_ROUTER === 'service') return;

  const sets = {
    'routerbench prompts': test.texts,
    'last 300 chars': test.texts.map((t) => t.slice(-300)),
    'last 100 chars': test.texts.map((t) => t.slice(-100)),
  };
  const rows: string[][] = [['query set', 'mean chars', 'JSON parse q/s', 'featurise only q/s', 'route online q/s', 'route batch(100) q/s', 'route / featurise', 'wall: route online q/s']];
  for (const [name, texts] of Object.entries(sets)) {
    // 20 copies of the test set, each line distinct by id (the featuriser memoises tokens, as in production).
    const lines = Array.from({ length: 20 }, (_, c) => texts.map((t, i) => JSON.stringify({ id: `${c}-${i}`, text: t, task: test.tasks[i] }))).flat();
    const input = lines.join('\n');
    const parseOnly = timeIt(1500, () => {
      let n = 0;
      for (const [line] of jsonlLines(input)) n += JSON.parse(line) ? 1 : 0;
      return n;
    });
    const queries = [...jsonlLines(input)].map(([l, r]) => parseQueryLine(l, r, router.modelIndex));
    const feat = timeIt(1500, () => {
      for (let s = 0; s < queries.length; s += 4096) featurizer.transform(queries.slice(s, s + 4096).map((q) => q.text));
      return queries.length;
    });
    // A running router (policy verified and loaded once): parse each line, route, write JSONL.
    const online = timeIt(2000, () => {
      let n = 0;
      let bytes = 0;
      const chunk: RouteQuery[] = [];
      const flush = () => {
        for (const d of router.route(chunk, { strategy: 'online' }).decisions) bytes += JSON.stringify(d).length + 1;
        n += chunk.length;
        chunk.length = 0;
      };
      for (const [l, r] of jsonlLines(input)) if (chunk.push(parseQueryLine(l, r, router.modelIndex)) === 1024) flush();
      flush();
      return bytes > 0 ? n : 0;
    });
    const batch = timeIt(2000, () => {
      for (let s = 0; s < queries.length; s += 4000) router.route(queries.slice(s, s + 4000), { strategy: 'batch', batchSize: 100 });
      return queries.length;
    });
    const chars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
    rows.push([name, chars.toFixed(0), parseOnly.perCpuSec.toFixed(0), feat.perCpuSec.toFixed(0), online.perCpuSec.toFixed(0), batch.perCpuSec.toFixed(0), (online.perCpuSec / feat.perCpuSec).toFixed(2), online.perSec.toFixed(0)]);
  }
  console.log('queries per CPU-second of this process (one core; the router is single-threaded), last column wall-clock:');
  printTable(rows);

  // The app's default predictor is a 20-member bootstrap ensemble: the featurisation is shared, the
  // hidden layer runs once per member, so its policies route more slowly than a single head's.
  const ensemble = await fitDefaultPredictor(train, { seed: 1, ensemble: 20 });
  const ensRouter = new PolicyRouter(readPolicy(policyText(await policyFromTraining({ name: 'bench-ensemble', dataset: 'routerbench-train', seed: 1, createdAt: new Date(0).toISOString(), train, predictor: ensemble, catalog: new Map(), budgetFraction: 0.3, batchSize: 100, strategy: 'online' }))));
  const ensRows: string[][] = [['policy heads', 'query set', 'route online q/s (per CPU-second)']];
  for (const [name, texts] of Object.entries(sets)) {
    const queries: RouteQuery[] = texts.map((t, i) => ({ id: String(i), text: t, task: test.tasks[i], inputTokens: null, allowed: null }));
    const single = timeIt(1500, () => router.route(queries, { strategy: 'online' }).decisions.length);
    const many = timeIt(1500, () => ensRouter.route(queries, { strategy: 'online' }).decisions.length);
    ensRows.push(['1', name, single.perCpuSec.toFixed(0)], ['20', name, many.perCpuSec.toFixed(0)]);
  }
  console.log('\nsingle head vs the 20-member ensemble (parsed queries, no JSON):');
  printTable(ensRows);

  // The online rule against the batch optimum on held-out batches of the test split. Prices come
  // from representative traffic: the training rows themselves (in-sample p, over-confident) or a
  // held-out 20% of them (predictor fitted on the other 80%).
  const perm = permutation(train.texts.length, createRng(11));
  const cut = Math.round(train.texts.length * 0.2);
  const fit80 = selectRows(train, perm.subarray(cut));
  const held20 = selectRows(train, perm.subarray(0, cut));
  const predictor80 = await fitDefaultPredictor(fit80, { seed: 1 });
  const variants = [
    { name: 'train (in-sample)', fitted: predictor, fitRows: train, rep: train },
    { name: 'held-out 20%', fitted: predictor80, fitRows: fit80, rep: held20 },
  ];
  const n = test.texts.length;
  const shuffled = Array.from(permutation(n, createRng(3)));
  const evalRows: string[][] = [['prices from', 'batching', 'budget f', 'objective ratio', 'worst batch', 'over-budget batches', 'mean overspend', 'spend ratio', 'agreement', 'acc online', 'acc batch']];
  for (const v of variants) {
    const stats = trainingStats(v.fitRows);
    // The decision probabilities the router uses: p blended with the task prior (weight 0.5, the export default).
    const p = shrinkToTaskPrior(stats, test, Float64Array.from((await v.fitted.predict(test.texts)).p), 0.5);
    const est = estimatedCosts(stats, test);
    for (const f of [0.1, 0.3, 0.5]) {
      const pol = readPolicy(policyText(await policyFromTraining({ name: 'bench', dataset: 'routerbench-train', seed: 1, createdAt: new Date(0).toISOString(), train: v.fitRows, representative: v.rep, predictor: v.fitted, catalog: new Map(), budgetFraction: f, batchSize: 100, strategy: 'online' })));
      for (const [batching, order] of [['file order', null], ['random', shuffled]] as const) {
        const take = <T extends Float32Array | Float64Array>(a: T): T => (order ? (selectRowsOf(a, order, test.models.length) as T) : a);
        const e = evaluateOnlineRule(pol, { n, p: take(p), cost: take(est), truth: take(test.scores), realisedCost: take(test.costs), batchSize: 100 });
        evalRows.push([v.name, batching, String(f), e.objectiveRatio.toFixed(4), e.worstBatchRatio.toFixed(4), `${(100 * e.overBudgetShare).toFixed(0)}%`, `${(100 * e.meanOverspend).toFixed(1)}%`, e.spendRatio.toFixed(3), e.agreement.toFixed(3), e.realised!.onlineAccuracy.toFixed(3), e.realised!.batchAccuracy.toFixed(3)]);
      }
    }
  }
  console.log('\nonline dual-price rule vs batch optimum (RouterBench test, batches of 100):');
  printTable(evalRows);
}

function selectRowsOf(a: Float32Array | Float64Array, order: number[], k: number): Float32Array | Float64Array {
  const out = new (a.constructor as Float64ArrayConstructor)(a.length);
  order.forEach((i, r) => out.set(a.subarray(i * k, (i + 1) * k), r * k));
  return out;
}

function printTable(rows: string[][]): void {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => (c === 0 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  '));
}
