import { useRef, useState, type DragEvent } from 'react';
import type { ImportFormat, ImportResult } from '../../../../shared/contract';
import { ApiError } from '../../api/client';
import { useClient } from '../../app/context';
import { useJobs } from '../../app/jobs';
import { useSticky } from '../../app/sticky';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel, ProgressBar } from '../../components/States';
import { count, duration, plural } from '../../format/units';
import { ChoiceField } from '../../components/ChoiceField';

const formats: { value: ImportFormat; label: string }[] = [
  { value: 'auto', label: 'Detect automatically' },
  { value: 'wide-csv', label: 'Wide CSV (RouterBench)' },
  { value: 'long-csv', label: 'Long CSV (one row per query and model)' },
  { value: 'json', label: 'JSON (questions with scores)' },
  { value: 'pairwise', label: 'Pairwise preferences (model_a, model_b, winner)' },
  { value: 'catalog', label: 'Model catalog (CSV/JSON)' },
  { value: 'inventory', label: 'GPU inventory (CSV/JSON)' },
];

interface ImportAttempt {
  fileLabel: string;
  path?: string;
  jobId?: string;
  /** A failure before the job started (upload, validation). */
  error?: ApiError;
  uploading?: boolean;
}

type DuplicateChoice = 'refuse' | 'first' | 'mean' | 'separate';
const duplicateChoices: { value: DuplicateChoice; label: string; done: string }[] = [
  { value: 'refuse', label: 'refuse the file', done: 'refused' },
  { value: 'first', label: 'keep the first label', done: 'kept their first label' },
  { value: 'mean', label: 'keep the mean label', done: 'merged into their mean' },
  { value: 'separate', label: 'keep as separate queries', done: 'kept as separate queries' },
];

/** Import by dialog, file input or drop; progress in place and in the tray; errors with file, row and column. */
export function ImportPanel() {
  const client = useClient();
  const jobs = useJobs();
  const [format, setFormat] = useSticky<ImportFormat>('data.format', 'auto');
  const [name, setName] = useSticky('data.name', '');
  const [onDuplicate, setOnDuplicate] = useSticky<DuplicateChoice>('data.onDuplicate', 'refuse');
  const [attempt, setAttempt] = useSticky<ImportAttempt | null>('data.attempt', null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const job = attempt?.jobId ? jobs.jobs.find((j) => j.jobId === attempt.jobId) : undefined;
  const busy = attempt?.uploading || job?.state === 'running';

  async function importFile(file?: File) {
    const fileLabel = file?.name ?? 'selected file';
    setAttempt({ fileLabel, uploading: client.mode === 'http' });
    try {
      const path = await client.fileForImport(file);
      if (!path) return setAttempt(null);
      const label = file?.name ?? path.split(/[\\/]/).pop() ?? path;
      setAttempt({ fileLabel: label, path, uploading: false });
      const run = jobs.start<ImportResult>('data.import', { file: path, format, onDuplicate, ...(name.trim() ? { name: name.trim() } : {}) }, `Import ${label}`);
      const jobId = await run.jobId;
      setAttempt({ fileLabel: label, path, jobId });
      await run.result.catch(() => undefined);
    } catch (e) {
      setAttempt((a) => ({ fileLabel: a?.fileLabel ?? fileLabel, path: a?.path, error: e instanceof ApiError ? e : new ApiError('INTERNAL', String(e)) }));
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && !busy) void importFile(file);
  };

  const error = attempt?.error ?? (job?.state === 'failed' ? job.error : undefined);
  const result = job?.state === 'done' ? (job.result as ImportResult) : undefined;

  return (
    <Panel title="Import data" id="import">
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>
          Drop a CSV, JSON or Parquet file here, or{' '}
          {client.mode === 'ipc' ? (
            <button onClick={() => void importFile()} disabled={busy}>
              Choose file…
            </button>
          ) : (
            <label className="button">
              Choose file…
              <input ref={input} type="file" accept=".csv,.json,.jsonl,.tsv,.txt,.parquet" disabled={busy} className="visually-hidden" data-testid="import-file" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void importFile(f); }} />
            </label>
          )}
        </p>
        <div className="row">
          <ChoiceField label="Format" value={format} options={formats} onChange={setFormat} testId="import-format" />
          <ChoiceField label="Repeated query/model pairs" value={onDuplicate} options={duplicateChoices} onChange={setOnDuplicate} testId="import-on-duplicate" />
          <label className="grow">
            <span className="small muted">Dataset name (optional)</span>
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="from the file name" />
          </label>
        </div>
      </div>
      {attempt?.uploading && <p className="muted" role="status">Uploading {attempt.fileLabel}…</p>}
      {job?.state === 'running' && (
        <div className="inline-job" role="status">
          <span>
            Importing {attempt?.fileLabel}: {job.progress?.stage ?? 'starting'} {job.progress?.metrics?.rows != null ? `· ${count(job.progress.metrics.rows)} rows` : ''}
          </span>
          <ProgressBar fraction={job.progress?.fraction ?? 0} label="Import progress" />
          <button className="small" onClick={() => void jobs.cancel(job.jobId)}>
            Cancel
          </button>
        </div>
      )}
      {error && <ErrorNotice error={error} fileLabel={attempt?.fileLabel} filePath={attempt?.path} onDismiss={() => setAttempt(null)} />}
      {result && (
        <p className="notice ok" role="status" data-testid="import-result">
          Imported {attempt?.fileLabel}: {result.kind === 'dataset' ? `${plural(result.queries, 'query', 'queries')} × ${plural(result.models, 'model')} (${plural(result.missingLabels ?? 0, 'missing label')})` : `${plural(result.rows, `${result.kind} row`)}`} in {duration(result.ms)}.
          {result.duplicates && ` ${count(result.duplicates.pairs)} repeated query/model pairs ${duplicateChoices.find((c) => c.value === result.duplicates!.policy)?.done}.`}
        </p>
      )}
    </Panel>
  );
}
