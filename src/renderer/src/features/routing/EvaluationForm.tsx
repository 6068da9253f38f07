import type { EvaluationResult, StrategyName } from '../../../../shared/contract/routing';
import { useJobs } from '../../app/jobs';
import { useEffect } from 'react';
import { useRemembered, useSticky } from '../../app/sticky';
import { pickCompatible, sameModels } from '../../app/compatible';
import { useCall } from '../../app/use-call';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DatasetSelect } from '../../components/DatasetSelect';
import { RecordSelect, followNewest } from '../../components/RecordSelect';
import { EmptyState, Panel, ProgressBar } from '../../components/States';
import { duration, plural } from '../../format/units';
import { strategyHelp, strategyLabel } from '../../format/glossary';

const allStrategies: StrategyName[] = ['threshold', 'ndch', 'ndch-p', 'mip', 'batch-mip', 'robust-quantile', 'robust-gamma', 'max-min', 'per-query', 'per-query-share'];

interface EvalForm {
  predictorId: number | null;
  /** The newest predictor this form has seen: a newer one is selected when it appears. */
  predictorSeen?: number | null;
  testDatasetId: number | null;
  strategies: StrategyName[];
  batchSize: number;
  batching: 'random' | 'adversarial';
  seeds: number;
  /** '' = off; else the probability each batch budget must hold with on realised cost. */
  budgetConfidence?: string;
}

/** Settings of a budget sweep: predictor, test data, strategies, batch size and batching scheme. */
export function EvaluationForm({ onDone }: { onDone: (id: number | null) => void }) {
  const predictors = useCall('predictor.list', {});
  const datasets = useCall('datasets.list', {});
  const jobs = useJobs();
  const [form, setForm] = useRemembered<EvalForm>('routing.form', { predictorId: null, testDatasetId: null, strategies: ['threshold', 'ndch', 'ndch-p', 'batch-mip', 'robust-quantile', 'per-query'], batchSize: 100, batching: 'random', seeds: 3 });
  const [jobId, setJobId] = useSticky<string | null>('routing.job', null);
  const job = jobId ? jobs.jobs.find((j) => j.jobId === jobId) : undefined;
  const running = job?.state === 'running';
  const follow = followNewest(predictors.data?.map((p) => p.id), form.predictorId, form.predictorSeen);
  const predictorId = follow.id;
  useEffect(() => {
    if (predictors.data && (follow.seen !== (form.predictorSeen ?? null) || follow.id !== form.predictorId)) setForm((f) => ({ ...f, predictorId: follow.id, predictorSeen: follow.seen }));
  }, [predictors.data, follow.id, follow.seen, form.predictorId, form.predictorSeen, setForm]);
  const predictor = predictors.data?.find((p) => p.id === predictorId);
  // Test data must have the predictor's models in its order (the engine refuses others); among
  // those, the remembered choice, else the most recent dataset that is not the training data.
  const predictorModels = datasets.data?.find((d) => d.id === predictor?.datasetId)?.models.map((m) => m.model);
  const fits = sameModels(predictorModels);
  const heldOut = datasets.data?.filter((d) => d.id !== predictor?.datasetId);
  const kept = datasets.data?.some((d) => d.id === form.testDatasetId && fits(d) == null) ? form.testDatasetId : null;
  const testDatasetId = kept ?? pickCompatible(heldOut, null, fits) ?? pickCompatible(datasets.data, null, fits);

  const run = async () => {
    if (predictorId == null || testDatasetId == null) return;
    const r = jobs.start<EvaluationResult>('evaluation.run', {
      predictorId,
      testDatasetId,
      settings: { strategies: form.strategies, batchSize: form.batchSize, batching: form.batching, seeds: Array.from({ length: form.seeds }, (_, i) => i + 1), ...(form.budgetConfidence ? { budgetConfidence: Number(form.budgetConfidence) } : {}) },
    });
    setJobId(await r.jobId.catch(() => null));
    const done = await r.result.catch(() => null);
    if (done) onDone(done.id);
  };

  if (predictors.data?.length === 0)
    return (
      <Panel title="New evaluation" id="evaluation-form">
        <EmptyState title="No predictor yet">Train a predictor on the Predictor screen; an evaluation routes a test dataset with it.</EmptyState>
      </Panel>
    );
  const toggle = (s: StrategyName) => setForm((f) => ({ ...f, strategies: f.strategies.includes(s) ? f.strategies.filter((x) => x !== s) : [...f.strategies, s] }));
  return (
    <Panel title="New evaluation" id="evaluation-form">
      <fieldset className="form" disabled={running}>
        <label>
          <span className="small muted">Predictor</span>
          <RecordSelect records={predictors.data ?? []} value={predictorId} onChange={(id) => setForm((f) => ({ ...f, predictorId: id, testDatasetId: null }))} label="Predictor" testId="eval-predictor" describe={(p) => p.name} />
        </label>
        <DatasetSelect datasets={datasets.data} compatible={fits} value={testDatasetId} onChange={(id) => setForm((f) => ({ ...f, testDatasetId: id }))} label="Test dataset" testId="eval-dataset" describe={(d) => `${d.name} (${plural(d.queries, 'query', 'queries')})${d.id === predictor?.datasetId ? ' — training data' : ''}`} />
        <label>
          <span className="small muted">Batch size (queries)</span>
          <input type="number" min={1} value={form.batchSize} onChange={(e) => setForm((f) => ({ ...f, batchSize: Number(e.target.value) }))} data-testid="eval-batch" />
        </label>
        <label>
          <span className="small muted">Batching</span>
          <select value={form.batching} onChange={(e) => setForm((f) => ({ ...f, batching: e.target.value as EvalForm['batching'] }))}>
            <option value="random">Random batches</option>
            <option value="adversarial">Adversarial (hard queries together)</option>
          </select>
        </label>
        <label>
          <span className="small muted">Budget must hold</span>
          <select value={form.budgetConfidence ?? ''} onChange={(e) => setForm((f) => ({ ...f, budgetConfidence: e.target.value }))} data-testid="eval-confidence">
            <option value="">on estimated cost</option>
            <option value="0.9">with 90% probability (adds -cc rows)</option>
            <option value="0.95">with 95% probability (adds -cc rows)</option>
            <option value="0.99">with 99% probability (adds -cc rows)</option>
          </select>
        </label>
        <label>
          <span className="small muted">Seeds</span>
          <input type="number" min={1} max={20} value={form.seeds} onChange={(e) => setForm((f) => ({ ...f, seeds: Number(e.target.value) }))} />
        </label>
      </fieldset>
      <fieldset className="toggles" disabled={running}>
        <legend className="small muted">Strategies</legend>
        {allStrategies.map((s) => (
          <label key={s} className="check" title={strategyHelp(s)}>
            <input type="checkbox" checked={form.strategies.includes(s)} onChange={() => toggle(s)} /> {strategyLabel(s)}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <button className="primary" onClick={() => void run()} disabled={running || predictorId == null || testDatasetId == null || form.strategies.length === 0}>
          Evaluate
        </button>
        {running && <button onClick={() => void jobs.cancel(job.jobId)}>Cancel</button>}
      </div>
      {running && (
        <div className="inline-job" role="status" data-testid="eval-progress">
          <span>
            {job.progress?.stage ?? 'starting'} {job.progress?.etaMs != null && `· ${duration(job.progress.etaMs)} left`}
          </span>
          <ProgressBar fraction={job.progress?.fraction ?? 0} label="Evaluation progress" />
          <span />
        </div>
      )}
      {job?.state === 'failed' && job.error && <ErrorNotice error={job.error} />}
    </Panel>
  );
}
