import { useMemo } from 'react';
import type { TrainResult } from '../../../../shared/contract/predictor';
import { useJobs } from '../../app/jobs';
import { useRemembered, useSticky } from '../../app/sticky';
import { pickCompatible } from '../../app/compatible';
import { useCall } from '../../app/use-call';
import { Plot } from '../../charts/Plot';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DatasetSelect } from '../../components/DatasetSelect';
import { EmptyState, Panel, ProgressBar } from '../../components/States';
import { decimal, duration, plural } from '../../format/units';
import { historyLayout, historyTraces } from './reliability';

interface TrainForm {
  datasetId: number | null;
  featurizer: 'hybrid' | 'builtin' | 'use';
  estimator: 'mlp' | 'knn' | 'logreg';
  ensemble: number;
  seed: number;
  name: string;
}

/** Train a predictor: settings, a live progress line with the training curve, and cancel. */
export function TrainPanel({ onTrained }: { onTrained: (id: number) => void }) {
  const datasets = useCall('datasets.list', {});
  const jobs = useJobs();
  const [form, setForm] = useRemembered<TrainForm>('predictor.form', { datasetId: null, featurizer: 'hybrid', estimator: 'mlp', ensemble: 20, seed: 1, name: '' });
  const [jobId, setJobId] = useSticky<string | null>('predictor.job', null);
  const job = jobId ? jobs.jobs.find((j) => j.jobId === jobId) : undefined;
  // Any labelled dataset trains: the remembered one while it exists, else the most recent.
  const datasetId = pickCompatible(datasets.data, form.datasetId, () => null);
  const epochs = useMemo(() => currentRun(job?.history ?? []), [job?.history]);
  const curve = useMemo(() => historyTraces(epochs), [epochs]);

  const train = async () => {
    if (datasetId == null) return;
    const run = jobs.start<TrainResult>('predictor.train', { datasetId, featurizer: form.featurizer ?? 'hybrid', estimator: form.estimator, ensemble: form.ensemble, seed: form.seed, ...(form.name.trim() ? { name: form.name.trim() } : {}) });
    setJobId(await run.jobId.catch(() => null));
    const r = await run.result.catch(() => null);
    if (r) onTrained(r.id);
  };
  const running = job?.state === 'running';
  const m = job?.progress?.metrics;

  if (datasets.data?.length === 0) return <Panel title="Train a predictor" id="train"><EmptyState title="No dataset to train on">Import a labelled dataset on the Data screen first.</EmptyState></Panel>;
  return (
    <Panel title="Train a predictor" id="train">
      <fieldset className="form" disabled={running}>
        <DatasetSelect datasets={datasets.data} value={datasetId} onChange={(id) => setForm((f) => ({ ...f, datasetId: id }))} label="Dataset" testId="train-dataset" describe={(d) => `${d.name} (${plural(d.queries, 'query', 'queries')})`} />
        <label title="Routing policies carry the built-in featuriser only: train a built-in predictor to export one">
          <span className="small muted">Features</span>
          <select value={form.featurizer ?? 'hybrid'} onChange={(e) => setForm((f) => ({ ...f, featurizer: e.target.value as TrainForm['featurizer'] }))} data-testid="train-featurizer">
            <option value="hybrid">n-grams + sentence encoder (default)</option>
            <option value="builtin">built-in n-grams (policies)</option>
            <option value="use">sentence encoder alone</option>
          </select>
        </label>
        <label>
          <span className="small muted">Estimator</span>
          <select value={form.estimator} onChange={(e) => setForm((f) => ({ ...f, estimator: e.target.value as TrainForm['estimator'] }))} data-testid="train-estimator">
            <option value="mlp">MLP head (default)</option>
            <option value="logreg">Logistic regression</option>
            <option value="knn">k nearest neighbours</option>
          </select>
        </label>
        <label>
          <span className="small muted">Ensemble members</span>
          <input type="number" min={1} max={200} value={form.ensemble} onChange={(e) => setForm((f) => ({ ...f, ensemble: Number(e.target.value) }))} data-testid="train-ensemble" />
        </label>
        <label>
          <span className="small muted">Seed</span>
          <input type="number" min={0} value={form.seed} onChange={(e) => setForm((f) => ({ ...f, seed: Number(e.target.value) }))} />
        </label>
        <label>
          <span className="small muted">Name (optional)</span>
          <input value={form.name} onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} />
        </label>
      </fieldset>
      <div className="row" style={{ marginTop: 10 }}>
        <button className="primary" onClick={() => void train()} disabled={running || datasetId == null}>
          Train
        </button>
        {running && (
          <button onClick={() => void jobs.cancel(job.jobId)} aria-label="Cancel training">
            Cancel
          </button>
        )}
      </div>
      {running && (
        <div className="inline-job" role="status" data-testid="train-progress">
          <span>
            {job.progress?.stage ?? 'starting'}
            {m?.encoded != null && m?.epoch == null && ` · ${m.encoded} of ${m.of} texts encoded`}
            {m?.epoch != null && ` · epoch ${m.epoch}`}
            {m?.loss != null && ` · loss ${decimal(m.loss)}`}
            {m?.valAuc != null && ` · validation AUC ${decimal(m.valAuc)}`}
            {job.progress?.etaMs != null && ` · ${duration(job.progress.etaMs)} left`}
          </span>
          <ProgressBar fraction={job.progress?.fraction ?? 0} label="Training progress" />
          <span />
        </div>
      )}
      {running && epochs.length > 1 && <Plot data={curve} layout={historyLayout} label="Training curve" height={240} />}
      {job?.state === 'failed' && job.error && <ErrorNotice error={job.error} />}
      {job?.state === 'cancelled' && <p className="muted">Training was cancelled; nothing was stored.</p>}
    </Panel>
  );
}

type EpochPoint = { epoch: number; loss: number; valLoss?: number; valAuc?: number };

/** The epochs of the ensemble member training now: the history restarts at each member's epoch 1. */
export function currentRun(history: Record<string, number>[]): EpochPoint[] {
  const points = history.filter((h) => h.epoch != null && h.loss != null) as EpochPoint[];
  let start = 0;
  for (let i = 1; i < points.length; i++) if (points[i].epoch <= points[i - 1].epoch) start = i;
  return points.slice(start);
}
