import type { PolicyExportResult } from '../../../../shared/contract/policy';
import { useJobs } from '../../app/jobs';
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
  /** The newest exportable predictor this form has seen: a newer one is selected when it appears. */
  predictorSeen?: number | null;
  datasetId: number | null;
  budgetFraction: number;
  batchSize: number;
  strategy: Strategy;
}


/** Strategy + budget -> a stored policy (the export job). */
export function PolicyForm({ onCreated }: { onCreated: (id: number) => void }) {
  const predictors = useCall('predictor.list', {});
  const datasets = useCall('datasets.list', {});
  const jobs = useJobs();
  const [form, setForm] = useRemembered<PolicyFormState>('policy.form', { name: 'routing-policy', predictorId: null, datasetId: null, budgetFraction: 0.3, batchSize: 100, strategy: 'online' });
  const [jobId, setJobId] = useSticky<string | null>('policy.job', null);
  const [warnings, setWarnings] = useSticky<string[]>('policy.warnings', []);
  const job = jobId ? jobs.jobs.find((j) => j.jobId === jobId) : undefined;
  const running = job?.state === 'running';
  // The router computes the built-in featuriser only (docs/policies.md).
  const exportable = predictors.data?.filter((p) => p.featurizer === 'builtin-hash-tfidf');
  const follow = followNewest(exportable?.map((p) => p.id), form.predictorId, form.predictorSeen);
  const predictorId = follow.id;
  useEffect(() => {
    if (exportable && (follow.seen !== (form.predictorSeen ?? null) || follow.id !== form.predictorId)) setForm((f) => ({ ...f, predictorId: follow.id, predictorSeen: follow.seen }));
  }, [exportable, follow.id, follow.seen, form.predictorId, form.predictorSeen, setForm]);
  const predictor = exportable?.find((p) => p.id === predictorId);
  // The traffic must carry every model of the predictor; by default its own training data (the
  // export then holds part of it out), else the most recent dataset that fits.
  const fits = coversModels(datasets.data?.find((d) => d.id === predictor?.datasetId)?.models.map((m) => m.model));
  const kept = datasets.data?.some((d) => d.id === form.datasetId && fits(d) == null) ? form.datasetId : null;
  const datasetId = kept ?? (predictor && datasets.data?.some((d) => d.id === predictor.datasetId) ? predictor.datasetId : pickCompatible(datasets.data, null, fits));

  if (exportable?.length === 0)
    return (
      <Panel title="Create a policy" id="policy-form">
        <EmptyState title={predictors.data?.length ? 'No predictor a policy can carry' : 'No predictor yet'}>
          A policy carries a trained predictor on the built-in n-gram features, which the router computes at tens of thousands of queries a second: on the Predictor screen, train one with Features set to “built-in n-grams”.
        </EmptyState>
      </Panel>
    );

  const create = async () => {
    if (predictorId == null || datasetId == null) return;
    const r = jobs.start<PolicyExportResult>('policy.export', { name: form.name.trim() || 'routing-policy', predictorId, datasetId, budgetFraction: form.budgetFraction, batchSize: form.batchSize, strategy: form.strategy });
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
          <RecordSelect records={exportable ?? []} value={predictorId} onChange={(id) => setForm((f) => ({ ...f, predictorId: id, datasetId: null }))} label="Predictor" testId="policy-predictor" describe={(p) => `${p.name} · ${p.estimator} × ${p.ensemble}`} />
        </label>
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
        <button className="primary" onClick={() => void create()} disabled={running || predictorId == null || datasetId == null}>
          Create policy
        </button>
        {running && <button onClick={() => void jobs.cancel(job.jobId)}>Cancel</button>}
      </div>
      {running && (
        <div className="inline-job" role="status">
          <span>{job.progress?.stage ?? 'starting'}</span>
          <ProgressBar fraction={job.progress?.fraction ?? 0} label="Policy export progress" />
          <span />
        </div>
      )}
      {job?.state === 'failed' && job.error && <ErrorNotice error={job.error} />}
    </Panel>
  );
}
