import type { PolicyExportResult } from '../../../../shared/contract/policy';
import type { PredictorSummary, TrainResult } from '../../../../shared/contract/predictor';
import { useJobs, type TrackedJob } from '../../app/jobs';
import { useEffect } from 'react';
import { useRemembered, useSticky } from '../../app/sticky';
import { coversModels, pickCompatible } from '../../app/compatible';
import { useCall } from '../../app/use-call';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DatasetSelect } from '../../components/DatasetSelect';
import { RecordSelect, followNewest } from '../../components/RecordSelect';
import { EmptyState, Panel, ProgressBar } from '../../components/States';
import { percent } from '../../format/units';
import { policyStrategyTerms } from '../../format/glossary';
import { InfoTip } from '../../components/InfoTip';

type Strategy = 'online' | 'threshold' | 'ndch' | 'batch';
interface PolicyFormState {
  name: string;
  predictorId: number | null;
  /** The newest predictor this form has seen: a newer one is selected when it appears. */
  predictorSeen?: number | null;
  datasetId: number | null;
  budgetFraction: number;
  batchSize: number;
  strategy: Strategy;
}

// The router computes the built-in featuriser only (docs/policies.md): a policy carries no other.
const featureNames: Record<string, string> = { hybrid: 'n-grams + the sentence encoder', 'use-lite': 'the sentence encoder', 'onnx-encoder': 'an ONNX encoder' };
export function uncarriable(p: PredictorSummary): string | null {
  return p.featurizer === 'builtin-hash-tfidf' ? null : `reads ${featureNames[p.featurizer] ?? p.featurizer}; a policy carries built-in n-grams only`;
}

/** Strategy + budget -> a stored policy (the export job). */
export function PolicyForm({ onCreated }: { onCreated: (id: number) => void }) {
  const predictors = useCall('predictor.list', {});
  const datasets = useCall('datasets.list', {});
  const jobs = useJobs();
  const [form, setForm] = useRemembered<PolicyFormState>('policy.form', { name: 'routing-policy', predictorId: null, datasetId: null, budgetFraction: 0.3, batchSize: 100, strategy: 'online' });
  const [jobId, setJobId] = useSticky<string | null>('policy.job', null);
  const [warnings, setWarnings] = useSticky<string[]>('policy.warnings', []);
  const [trainJobId, setTrainJobId] = useSticky<string | null>('policy.trainJob', null);
  const job = jobId ? jobs.jobs.find((j) => j.jobId === jobId) : undefined;
  const running = job?.state === 'running';
  const trainJob = trainJobId ? jobs.jobs.find((j) => j.jobId === trainJobId) : undefined;
  const training = trainJob?.state === 'running';
  // The newest predictor by default (a training that just ended is what a person means to use),
  // even one a policy cannot carry: the form then says why and trains one it can.
  const follow = followNewest(predictors.data?.map((p) => p.id), form.predictorId, form.predictorSeen);
  const predictorId = follow.id;
  useEffect(() => {
    if (predictors.data && (follow.seen !== (form.predictorSeen ?? null) || follow.id !== form.predictorId)) setForm((f) => ({ ...f, predictorId: follow.id, predictorSeen: follow.seen }));
  }, [predictors.data, follow.id, follow.seen, form.predictorId, form.predictorSeen, setForm]);
  const chosen = predictors.data?.find((p) => p.id === predictorId);
  const why = chosen ? uncarriable(chosen) : null;
  const predictor = why ? undefined : chosen;
  // The traffic must carry every model of the predictor; by default its own training data (the
  // export then holds part of it out), else the most recent dataset that fits.
  const fits = coversModels(datasets.data?.find((d) => d.id === predictor?.datasetId)?.models.map((m) => m.model));
  const kept = datasets.data?.some((d) => d.id === form.datasetId && fits(d) == null) ? form.datasetId : null;
  const datasetId = kept ?? (predictor && datasets.data?.some((d) => d.id === predictor.datasetId) ? predictor.datasetId : pickCompatible(datasets.data, null, fits));

  if (predictors.data?.length === 0)
    return (
      <Panel title="Create a policy" id="policy-form">
        <EmptyState title="No predictor yet">A policy carries a trained predictor: train one on the Predictor screen.</EmptyState>
      </Panel>
    );

  // The same training on the built-in features (routeplan train --featurizer builtin …); its
  // predictor is the newest when it ends, so the form selects it.
  const trainCarriable = async (p: PredictorSummary) => {
    const run = jobs.start<TrainResult>('predictor.train', {
      datasetId: p.datasetId,
      featurizer: 'builtin',
      estimator: p.estimator as 'mlp' | 'knn' | 'logreg',
      ensemble: p.ensemble,
      seed: p.training.seed,
      featureFraction: p.training.featureFraction,
      ...(p.training.knnK != null ? { knnK: p.training.knnK } : {}),
    });
    setTrainJobId(await run.jobId.catch(() => null));
  };

  const create = async () => {
    if (predictor == null || datasetId == null) return;
    const r = jobs.start<PolicyExportResult>('policy.export', { name: form.name.trim() || 'routing-policy', predictorId: predictor.id, datasetId, budgetFraction: form.budgetFraction, batchSize: form.batchSize, strategy: form.strategy });
    setJobId(await r.jobId.catch(() => null));
    const done = await r.result.catch(() => null);
    setWarnings(done?.warnings ?? []);
    if (done) onCreated(done.id);
  };

  return (
    <Panel title="Create a policy" id="policy-form">
      {warnings.map((w) => (
        <p key={w} className="small warning" role="status" data-testid="policy-warning">
          {w}
        </p>
      ))}
      <fieldset className="form" disabled={running}>
        <label>
          <span className="small muted">Name</span>
          <input value={form.name} onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} data-testid="policy-name" />
        </label>
        <label>
          <span className="small muted">
            Predictor <InfoTip text="A policy carries the head of every ensemble member, so its file grows with the members (most of it is their first-layer weights): train with fewer members for a smaller policy." label="Policy size" />
          </span>
          <RecordSelect records={predictors.data ?? []} value={predictorId} onChange={(id) => setForm((f) => ({ ...f, predictorId: id, datasetId: null }))} label="Predictor" testId="policy-predictor" describe={(p) => `${p.name} · ${p.estimator} × ${p.ensemble}`} unusable={uncarriable} />
        </label>
        {chosen && why && (
          <div className="notice warn-box" role="status" data-testid="policy-predictor-uncarriable" style={{ gridColumn: '1 / -1' }}>
            <p className="small">
              Predictor #{chosen.id} {why} (the router computes those at tens of thousands of queries a second; a sentence encoder would make it hundreds of times slower). Train the same predictor ({chosen.estimator} × {chosen.ensemble}, seed {chosen.training.seed}, same dataset) on the built-in n-grams: it is selected here when it ends.
            </p>
            <div className="row">
              <button className="primary" type="button" onClick={() => void trainCarriable(chosen)} disabled={training} data-testid="train-policy-predictor">
                Train a policy predictor
              </button>
              {training && <button type="button" onClick={() => void jobs.cancel(trainJob.jobId)}>Cancel</button>}
            </div>
            <JobLine job={trainJob} label="Policy predictor training progress" />
          </div>
        )}
        <DatasetSelect datasets={datasets.data} compatible={fits} value={datasetId} onChange={(id) => setForm((f) => ({ ...f, datasetId: id }))} label="Representative traffic (dataset)" />
        <label>
          <span className="small muted">
            Strategy <InfoTip text={policyStrategyTerms[form.strategy].help} label={policyStrategyTerms[form.strategy].label} />
          </span>
          <select value={form.strategy} onChange={(e) => setForm((f) => ({ ...f, strategy: e.target.value as Strategy }))} data-testid="policy-strategy" title={policyStrategyTerms[form.strategy].help}>
            {(Object.keys(policyStrategyTerms) as Strategy[]).map((s) => (
              <option key={s} value={s} title={policyStrategyTerms[s].help}>
                {policyStrategyTerms[s].label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="small muted">
            Budget: <strong>{percent(form.budgetFraction, 0)}</strong> of the best model's cost
          </span>
          <input type="range" min={0.05} max={1} step={0.05} value={form.budgetFraction} onChange={(e) => setForm((f) => ({ ...f, budgetFraction: Number(e.target.value) }))} aria-valuetext={percent(form.budgetFraction, 0)} />
        </label>
        <label>
          <span className="small muted">Batch size (queries)</span>
          <input type="number" min={1} value={form.batchSize} onChange={(e) => setForm((f) => ({ ...f, batchSize: Number(e.target.value) }))} />
        </label>
      </fieldset>
      <div className="row" style={{ marginTop: 10 }}>
        <button className="primary" onClick={() => void create()} disabled={running || predictor == null || datasetId == null}>
          Create policy
        </button>
        {running && <button onClick={() => void jobs.cancel(job.jobId)}>Cancel</button>}
      </div>
      <JobLine job={job} label="Policy export progress" />
    </Panel>
  );
}

/** A job of this form: its stage and bar while it runs, its error if it failed. */
function JobLine({ job, label }: { job: TrackedJob | undefined; label: string }) {
  return (
    <>
      {job?.state === 'running' && (
        <div className="inline-job" role="status">
          <span>{job.progress?.stage ?? 'starting'}</span>
          <ProgressBar fraction={job.progress?.fraction ?? 0} label={label} />
          <span />
        </div>
      )}
      {job?.state === 'failed' && job.error && <ErrorNotice error={job.error} />}
    </>
  );
}
