import { readFileSync } from 'node:fs';
import { EngineError } from '../../../shared/errors';
import type { PredictionResult, TrainResult, PredictorSummary } from '../../../shared/contract/predictor';
import type { RegisterCommand } from '../env';
import { flagNumber } from '../numbers';
import { table } from '../output';

const f4 = (x: number | null | undefined) => (x == null || Number.isNaN(x) ? null : x.toFixed(4));

function trainTable(r: TrainResult): string {
  const m = r.metrics;
  return [
    `predictor ${r.id} (${r.name}) on dataset ${r.datasetId}: split ${m.split.train}/${m.split.calibration}/${m.split.test} (seed ${m.split.seed})`,
    table([
      ['test split', 'macro AUC', 'ECE', 'Brier', 'pairs'],
      ['before calibration', f4(m.before.auc), f4(m.before.ece), f4(m.before.brier), m.before.pairs],
      ['after calibration', f4(m.after.auc), f4(m.after.ece), f4(m.after.brier), m.after.pairs],
    ]),
    table([['model', 'AUC before', 'AUC after', 'T'], ...m.perModel.map((p) => [p.model, f4(p.aucBefore), f4(p.aucAfter), p.temperature.toFixed(3)])]),
  ].join('\n\n');
}

/** Query texts from --text (repeatable) or --file (one per line, or JSONL with a "text" or "prompt" field). */
function readTexts(opts: { text?: string[]; file?: string }): string[] {
  const texts = [...(opts.text ?? [])];
  if (opts.file) {
    let body: string;
    try {
      body = readFileSync(opts.file, 'utf8');
    } catch (err) {
      throw new EngineError('NOT_FOUND', `cannot read ${opts.file}: ${(err as Error).message}`, { file: opts.file });
    }
    body.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      if (line.trimStart().startsWith('{')) {
        let o: { text?: unknown; prompt?: unknown };
        try {
          o = JSON.parse(line);
        } catch {
          throw new EngineError('FILE_FORMAT', `${opts.file}: row ${i + 1}: not valid JSON`, { file: opts.file, row: i + 1 });
        }
        const t = o.text ?? o.prompt;
        if (typeof t !== 'string') throw new EngineError('FILE_FORMAT', `${opts.file}: row ${i + 1}: no "text" or "prompt" string`, { file: opts.file, row: i + 1, column: 'text' });
        texts.push(t);
      } else texts.push(line);
    });
  }
  if (!texts.length) throw new EngineError('INVALID_INPUT', 'give query texts with --text or --file');
  return texts;
}

export const registerPredictorCommands: RegisterCommand = (program, env) => {
  program
    .command('train')
    .description('train, calibrate and store a predictor on a 70/10/20 split of a dataset; prints its id and test metrics')
    .requiredOption('-d, --dataset <id|name>', 'dataset id or name')
    .option('--featurizer <kind>', 'hybrid (n-grams + bundled sentence encoder) | builtin (n-grams alone; what a policy carries) | use (the encoder alone) | onnx (--encoder folder)', 'hybrid')
    .option('--encoder <dir>', 'folder with model.onnx and tokenizer.json or vocab.txt (for --featurizer onnx)')
    .option('--estimator <kind>', 'mlp | knn | logreg', 'mlp')
    .option('--ensemble <B>', 'bootstrap members (1 = a single head)', '20')
    .option('--feature-fraction <q>', 'each ensemble member sees each feature column with probability q (random-subspace views; 1 = all)', '1')
    .option('--knn-k <k>', 'neighbours for --estimator knn', '40')
    .option('--seed <S>', 'split and training seed', '1')
    .option('--name <name>', 'predictor name')
    .action(function (this: any) {
      return env.run(
        this,
        (engine, ctx, o) =>
          engine.call(
            'predictor.train',
            { dataset: String(o.dataset), featurizer: o.featurizer, encoder: o.encoder, estimator: o.estimator, ensemble: flagNumber('--ensemble', o.ensemble), featureFraction: flagNumber('--feature-fraction', o.featureFraction), knnK: flagNumber('--knn-k', o.knnK), seed: flagNumber('--seed', o.seed), name: o.name },
            ctx,
          ),
        trainTable,
      );
    });

  program
    .command('predict')
    .description('calibrated success probability per model for query texts')
    .requiredOption('-p, --predictor <id>', 'predictor id')
    .option('-t, --text <text...>', 'query text (repeatable)')
    .option('-f, --file <file>', 'texts, one per line, or JSONL with "text"/"prompt"')
    .action(function (this: any) {
      return env.run(
        this,
        (engine, _ctx, o) => engine.call('predictor.predict', { predictorId: flagNumber('--predictor', o.predictor), texts: readTexts({ text: o.text, file: o.file }) }),
        (r: PredictionResult) => table([['#', ...r.models], ...r.rows.map((row, i) => [i + 1, ...row.p.map((p) => p.toFixed(3))])]),
      );
    });

  program
    .command('predictors')
    .description('list stored predictors')
    .action(function (this: any) {
      return env.run(
        this,
        (engine) => engine.call('predictor.list', {}),
        (rows: PredictorSummary[]) => table([['id', 'name', 'dataset', 'featurizer', 'estimator', 'B', 'test AUC', 'test ECE'], ...rows.map((r) => [r.id, r.name, r.datasetId, r.featurizer, r.estimator, r.ensemble, f4(r.testAuc), f4(r.testEce)])]),
      );
    });
};
