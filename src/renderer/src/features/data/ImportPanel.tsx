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
import { uploadedDatasetName } from './dataset-name';

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
  /** Every file of the import (several files form one dataset), with the name the user knows. */
  files?: { label: string; path: string }[];
  /** An inventory file meets a stored inventory: the import waits for the user's answer. */
  askInventory?: { gpuTypes: string[] };
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

  // One import of one or more files (all dataset files form ONE dataset, as on the command line).
  async function importFiles(picked: File[] | null) {
    const first = picked?.[0]?.name ?? 'selected file';
    const many = (n: number, label: string) => (n > 1 ? `${label} + ${n - 1} more` : label);
    setAttempt({ fileLabel: many(picked?.length ?? 1, first), uploading: client.mode === 'http' });
    try {
      const files: { label: string; path: string }[] = [];
      if (picked && picked.length) {
        for (const f of picked) {
          const path = await client.fileForImport(f);
          if (path) files.push({ label: f.name, path });
        }
      } else {
        const path = await client.fileForImport();
        if (path) files.push({ label: path.split(/[\\/]/).pop() ?? path, path });
      }
      if (!files.length) return setAttempt(null);
      const fileLabel = many(files.length, files[0].label);
      // An inventory file would change the stored inventory: with one there already, ask first.
      if (format === 'auto' || format === 'inventory') {
        const [detected, inventory] = await Promise.all([format === 'inventory' ? Promise.resolve(files.map((f) => ({ file: f.path, format: 'inventory' as const }))) : client.call('data.detect', { files: files.map((f) => f.path) }), client.call('inventory.list', {})]);
        if (inventory.length && detected.some((d) => d.format === 'inventory')) return setAttempt({ fileLabel, files, path: files[0].path, askInventory: { gpuTypes: inventory.map((g) => g.gpuType) } });
      }
      await run(fileLabel, files, 'merge');
    } catch (e) {
      setAttempt((a) => ({ fileLabel: a?.fileLabel ?? first, path: a?.path, files: a?.files, error: e instanceof ApiError ? e : new ApiError('INTERNAL', String(e)) }));
    }
  }

  async function run(fileLabel: string, files: { label: string; path: string }[], inventory: 'merge' | 'replace') {
    setAttempt({ fileLabel, files, path: files[0].path, uploading: false });
    const given = name.trim() || (client.mode === 'http' ? uploadedDatasetName(files.map((f) => f.label)) : null);
    const input = { ...(files.length === 1 ? { file: files[0].path } : { files: files.map((f) => f.path) }), format, onDuplicate, inventory, ...(given ? { name: given } : {}) };
    const job = jobs.start<ImportResult>('data.import', input, `Import ${fileLabel}`);
    try {
      const jobId = await job.jobId;
      setAttempt({ fileLabel, files, path: files[0].path, jobId });
      await job.result.catch(() => undefined);
    } catch (e) {
      setAttempt({ fileLabel, files, path: files[0].path, error: e instanceof ApiError ? e : new ApiError('INTERNAL', String(e)) });
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length && !busy) void importFiles(files);
  };

  const error = attempt?.error ?? (job?.state === 'failed' ? job.error : undefined);
  // The file a refusal names, under the name the user gave it (uploads live under temporary names).
  const failedFile = attempt?.files?.find((f) => typeof error?.details?.file === 'string' && (error.details.file as string).includes(f.path.split(/[\\/]/).pop()!)) ?? attempt?.files?.[0];
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
          Drop CSV, JSON or Parquet files here (several dataset files form one dataset, e.g. RouterBench's train files), or{' '}
          {client.mode === 'ipc' ? (
            <button onClick={() => void importFiles(null)} disabled={busy}>
              Choose file…
            </button>
          ) : (
            <label className="button">
              Choose files…
              <input ref={input} type="file" multiple accept=".csv,.json,.jsonl,.tsv,.txt,.parquet" disabled={busy} className="visually-hidden" data-testid="import-file" onChange={(e) => { const fs = [...(e.target.files ?? [])]; e.target.value = ''; if (fs.length) void importFiles(fs); }} />
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
            Importing {attempt?.fileLabel}: {job.progress?.stage ?? 'starting'} {job.progress?.metrics?.rows != null ? `· ${plural(job.progress.metrics.rows, 'row')}` : ''}
          </span>
          <ProgressBar fraction={job.progress?.fraction ?? 0} label="Import progress" />
          <button className="small" onClick={() => void jobs.cancel(job.jobId)}>
            Cancel
          </button>
        </div>
      )}
      {attempt?.askInventory && attempt.files && (
        <div className="notice warn-box" role="alertdialog" aria-label="Inventory import" data-testid="inventory-confirm">
          <p className="notice-message">
            {attempt.fileLabel} is a GPU inventory, and the workspace already has one ({attempt.askInventory.gpuTypes.join(', ')}). Replace the stored inventory with the file, or merge the file into it (its GPU types added or updated, the others kept)?
          </p>
          <div className="row">
            <button className="primary" onClick={() => void run(attempt.fileLabel, attempt.files!, 'replace')} data-testid="inventory-replace">
              Replace inventory
            </button>
            <button onClick={() => void run(attempt.fileLabel, attempt.files!, 'merge')} data-testid="inventory-merge">
              Merge into it
            </button>
            <button className="ghost" onClick={() => setAttempt(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && <ErrorNotice error={error} fileLabel={failedFile?.label ?? attempt?.fileLabel} filePath={failedFile?.path ?? attempt?.path} onDismiss={() => setAttempt(null)} />}
      {result && (
        <p className="notice ok" role="status" data-testid="import-result">
          Imported {attempt?.fileLabel}: {result.kind === 'dataset' ? `${plural(result.queries, 'query', 'queries')} × ${plural(result.models, 'model')} (${plural(result.missingLabels ?? 0, 'missing label')})` : `${plural(result.rows, `${result.kind} row`)}`} in {duration(result.ms)}.
          {result.duplicates && ` ${plural(result.duplicates.pairs, "repeated query/model pair")} ${duplicateChoices.find((c) => c.value === result.duplicates!.policy)?.done}.`}
        </p>
      )}
    </Panel>
  );
}
