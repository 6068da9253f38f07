// `npm run bench predictor`: predictors on the 50,000-query x 16-model demo set (train 70 /
// calibrate 10 / test 20). Prints featurisation throughput and each stage's time, against a
// per-model logistic-regression baseline fitted on the same features in the same run: first the
// built-in n-grams (what policies carry), then the default hybrid features (n-grams + the bundled
// sentence encoder; BENCH_ENCODER=0 skips it).
import { generateDemo } from '../src/main/engine/data/demo';
import { BuiltinFeaturizer } from '../src/main/engine/features/builtin';
import { selectFeatureRows } from '../src/main/engine/features/types';
import { MlpHead } from '../src/main/engine/predictor/mlp';
import { LogisticRegressions } from '../src/main/engine/predictor/logreg';
import { Calibrator } from '../src/main/engine/calibration/calibrator';
import { probabilityMetrics } from '../src/main/engine/calibration/metrics';
import { splitRows, selectLabelRows } from '../src/main/engine/predictor/splits';
import type { Estimator } from '../src/main/engine/predictor/estimator';
import { HybridFeaturizer } from '../src/main/engine/features/hybrid';
import { SentenceEncoderFeaturizer, memoisedEncode } from '../src/main/engine/features/sentence-encoder';
import type { FeatureMatrix } from '../src/main/engine/features/types';

const N = Number(process.env.BENCH_QUERIES ?? 50_000);

async function timeAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

export async function run(): Promise<void> {
  const [demo, genS] = time(() => generateDemo(7, N));
  const k = demo.scores.length / N;
  const y = Float32Array.from(demo.scores);
  const split = splitRows(N, 1);
  const trainTexts = split.train.map((i) => demo.texts[i]);
  const [featurizer, idfS] = time(() => BuiltinFeaturizer.fit(trainTexts));
  const [x, featS] = time(() => featurizer.transform(demo.texts));
  // A second pass over the same texts: the token cache is warm, as in a long-running router.
  const [, warmS] = time(() => featurizer.transform(demo.texts.slice(0, 20_000)));
  const rows: (string | number)[][] = [];
  const fitted: Record<string, { trainS: number; auc: number }> = {};
  fitHeads(x, y, k, split, 'built-in', rows, fitted);
  const base = fitted['logreg, built-in (baseline)'];
  const mlp = fitted['mlp head, built-in'];
  const nnz = x.kind === 'sparse' ? x.index.length / x.rows : x.dim;
  console.log(`demo set: ${N} queries x ${k} models (generated in ${genS.toFixed(1)} s); split ${split.train.length}/${split.calibration.length}/${split.test.length}`);
  console.log(`featurise: IDF fit ${idfS.toFixed(2)} s; transform ${featS.toFixed(2)} s = ${Math.round(N / featS)} queries/s cold, ${Math.round(20_000 / warmS)} queries/s warm; ${nnz.toFixed(0)} non-zeros per query, dim ${x.dim}`);
  let hybridLine = '';
  if (process.env.BENCH_ENCODER !== '0') {
    // The encoder sees each distinct text once (the workspace caches by text hash); the demo set
    // repeats its texts, so this measures the encoder on the distinct ones, in one thread.
    const distinct = [...new Set(demo.texts)];
    const encoder = SentenceEncoderFeaturizer.open({ encode: memoisedEncode() });
    const [, encS] = await timeAsync(() => encoder.transform(distinct));
    const hybrid = HybridFeaturizer.fit(trainTexts, encoder);
    const [xh, hS] = await timeAsync(() => hybrid.transform(demo.texts));
    console.log(`sentence encoder: ${distinct.length} distinct texts (of ${N}) in ${encS.toFixed(1)} s = ${Math.round(distinct.length / encS)} texts/s in one thread; hybrid rows for all ${N} queries from the cache in ${hS.toFixed(2)} s`);
    fitHeads(xh, y, k, split, 'hybrid', rows, fitted);
    hybridLine = `featurise + train + calibrate (mlp, hybrid, default): encoder ${encS.toFixed(1)} s + rows ${hS.toFixed(1)} s + train ${fitted['mlp head, hybrid'].trainS.toFixed(1)} s`;
  }
  console.log(['stage', 'epochs', 'train s', 'calibrate s', 'predict test s', 'train+calibrate s', 'test AUC', 'ECE', 'Brier'].join(' | '));
  for (const r of rows) console.log(r.join(' | '));
  console.log(`mlp vs logreg (built-in): train time x${(mlp.trainS / base.trainS).toFixed(2)}, AUC ${mlp.auc >= base.auc ? '+' : ''}${(mlp.auc - base.auc).toFixed(4)}`);
  console.log(`featurise + train + calibrate (mlp, built-in): ${(idfS + featS + mlp.trainS).toFixed(1)} s`);
  if (hybridLine) console.log(hybridLine);
}

function fitHeads(x: FeatureMatrix, y: Float32Array, k: number, split: { train: number[]; calibration: number[]; test: number[] }, label: string, rows: (string | number)[][], fitted: Record<string, { trainS: number; auc: number }>): void {
  const part = (r: number[]) => ({ x: selectFeatureRows(x, r), y: selectLabelRows(y, k, r) });
  const train = part(split.train);
  const cal = part(split.calibration);
  const test = part(split.test);
  for (const [name, make] of [
    [`logreg, ${label}${label === 'built-in' ? ' (baseline)' : ''}`, () => new LogisticRegressions({ seed: 1 })],
    [`mlp head, ${label}`, () => new MlpHead({ seed: 1 })],
  ] as [string, () => Estimator][]) {
    let epochs = 0;
    const [est, trainS] = time(() => make().fit(train, cal, { onEpoch: (r) => (epochs = r.epoch) }));
    const [calibrator, calS] = time(() => Calibrator.fit(est.logits(cal.x), cal.y, cal.x.rows, k));
    const [p, predS] = time(() => calibrator.apply(est.logits(test.x)));
    const m = probabilityMetrics(p, test.y, test.x.rows, k);
    fitted[name] = { trainS, auc: m.auc };
    rows.push([name, epochs, trainS.toFixed(1), calS.toFixed(2), predS.toFixed(2), (trainS + calS).toFixed(1), m.auc.toFixed(4), m.ece.toFixed(4), m.brier.toFixed(4)]);
  }
}
