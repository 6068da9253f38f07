// `npm run bench router`: the reference router's throughput on one core (this thread), with the
// built-in featuriser, against baselines measured in the same run: JSON parsing of the query
// lines alone and featurisation alone. Two query sets: RouterBench's test prompts as they are
// (long few-shot prompts) and production-length queries (the last 300 and 100 characters of each).
import { readRouterbench, testFiles, trainFiles } from '../tests/helpers/routerbench';
import { BuiltinFeaturizer } from '../src/main/engine/features/builtin';
import { fitDefaultPredictor } from '../src/main/engine/predictor/api';
import { policyFromTraining } from '../src/main/engine/policy/from-training';
import { jsonlLines, parseQueryLine } from '../src/main/engine/policy/queries';
import { PolicyRouter } from '../src/main/engine/policy/router';
import { routeJsonl } from '../src/main/engine/policy/route-jsonl';
import { evaluateOnlineRule } from '../src/main/engine/policy/online-eval';
import { estimatedCosts, trainingStats } from '../src/main/engine/evaluation/costs';
import { policyText, readPolicy } from '../src/main/engine/policy/verify';

function timeIt(minMs: number, body: () => number): { perSec: number; items: number; ms: number } {
  body(); // warm-up: JIT and the featuriser's token memo, as in a long-running router
  let items = 0;
  const t0 = performance.now();
  do items += body();
  while (performance.now() - t0 < minMs);
  const ms = performance.now() - t0;
  return { perSec: (items * 1000) / ms, items, ms };
}

export async function run(): Promise<void> {
  const train = readRouterbench(trainFiles);
  const test = readRouterbench(testFiles);
  const predictor = await fitDefaultPredictor(train, { seed: 1 });
  const policy = readPolicy(policyText(await policyFromTraining({ name: 'bench', dataset: 'routerbench-train', seed: 1, createdAt: new Date(0).toISOString(), train, predictor, catalog: new Map(), budgetFraction: 0.3, batchSize: 100, strategy: 'online' })));
  const text = policyText(policy);
  const router = new PolicyRouter(policy);
  const featurizer = BuiltinFeaturizer.fromSpec(policy.featurizer.spec);

  const sets = {
    'routerbench prompts': test.texts,
    'last 300 chars': test.texts.map((t) => t.slice(-300)),
    'last 100 chars': test.texts.map((t) => t.slice(-100)),
  };
  const rows: string[][] = [['query set', 'mean chars', 'JSON parse q/s', 'featurise q/s', 'route online (end to end) q/s', 'route batch(100) q/s', 'route / parse']];
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
    // End to end as `routeplan route` does it: verify the policy, parse, route, write JSONL.
    const online = timeIt(2000, () => routeJsonl(text, input, (out) => void out.length, { strategy: 'online' }).queries);
    const batch = timeIt(2000, () => {
      for (let s = 0; s < queries.length; s += 4000) router.route(queries.slice(s, s + 4000), { strategy: 'batch', batchSize: 100 });
      return queries.length;
    });
    const chars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
    rows.push([name, chars.toFixed(0), parseOnly.perSec.toFixed(0), feat.perSec.toFixed(0), online.perSec.toFixed(0), batch.perSec.toFixed(0), (online.perSec / parseOnly.perSec).toFixed(3)]);
  }
  printTable(rows);

  // The online rule against the batch optimum on held-out batches (test split, file order and shuffled).
  const stats = trainingStats(train);
  const p = (await predictor.predict(test.texts)).p;
  const est = estimatedCosts(stats, test);
  const evalRows: string[][] = [['budget f', 'batch', 'objective ratio', 'worst batch', 'over-budget batches', 'mean overspend', 'over-capacity', 'agreement', 'acc online', 'acc batch']];
  for (const f of [0.1, 0.3, 0.5]) {
    const pol = readPolicy(policyText(await policyFromTraining({ name: 'bench', dataset: 'routerbench-train', seed: 1, createdAt: new Date(0).toISOString(), train, predictor, catalog: new Map(), budgetFraction: f, batchSize: 100, strategy: 'online' })));
    const e = evaluateOnlineRule(pol, { n: test.texts.length, p, cost: est, truth: test.scores, realisedCost: test.costs, batchSize: 100 });
    evalRows.push([String(f), '100', e.objectiveRatio.toFixed(4), e.worstBatchRatio.toFixed(4), `${(100 * e.overBudgetShare).toFixed(0)}%`, `${(100 * e.meanOverspend).toFixed(1)}%`, `${(100 * e.overCapacityShare).toFixed(0)}%`, e.agreement.toFixed(3), e.realised!.onlineAccuracy.toFixed(3), e.realised!.batchAccuracy.toFixed(3)]);
  }
  console.log('\nonline dual-price rule vs batch optimum (RouterBench test, batches of 100 in file order):');
  printTable(evalRows);
}

function printTable(rows: string[][]): void {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => (c === 0 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  '));
}
