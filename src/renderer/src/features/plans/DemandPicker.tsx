import { useState } from 'react';
import type { DemandImportResult, DemandSummary } from '../../../../shared/contract';
import { ApiError } from '../../api/client';
import { useClient } from '../../app/context';
import { useJobs } from '../../app/jobs';
import { useSticky } from '../../app/sticky';
import type { CallState } from '../../app/use-call';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel, ProgressBar } from '../../components/States';
import { count, decimal } from '../../format/units';

const rate = (x: number) => `${x >= 100 ? count(x) : x.toFixed(x >= 10 ? 1 : 2)} req/s`;
const span = (s: number) => (s >= 2 * 86400 ? `${(s / 86400).toFixed(s % 86400 ? 1 : 0)} days` : `${(s / 3600).toFixed(s % 3600 ? 1 : 0)} h`);

interface ProfileForm {
  name: string;
  dailyRequests: number;
  shapePreset: 'diurnal' | 'flat';
  growthPerMonth: number;
  months: number;
}

/**
 * The demand a plan is sized for: the stored traces and typed profiles with their statistics, a
 * trace import (a job) and a typed profile (an hourly 24x7 shape, a daily volume, growth, months).
 */
export function DemandPicker({ demands, value, onChange }: { demands: CallState<DemandSummary[]>; value: number | null; onChange: (id: number) => void }) {
  const client = useClient();
  const jobs = useJobs();
  const [importJob, setImportJob] = useSticky<string | null>('plans.importJob', null);
  const [fileLabel, setFileLabel] = useState<string | null>(null);
  const [profile, setProfile] = useSticky<ProfileForm>('plans.profile', { name: '', dailyRequests: 1_000_000, shapePreset: 'diurnal', growthPerMonth: 0.08, months: 3 });
  const [error, setError] = useState<ApiError | null>(null);
  const [creating, setCreating] = useState(false);
  const job = importJob ? jobs.jobs.find((j) => j.jobId === importJob) : undefined;
  const list = [...(demands.data ?? [])].sort((a, b) => b.id - a.id);
  const chosen = value ?? list[0]?.id ?? null;

  const importTrace = async (file: File) => {
    setError(null);
    setFileLabel(file.name);
    try {
      const path = await client.fileForImport(file);
      if (!path) return;
      const run = jobs.start<DemandImportResult>('demand.import', { files: [path] }, `Import trace ${file.name}`);
      setImportJob(await run.jobId);
      const done = await run.result.catch((e: ApiError) => (e.code !== 'CANCELLED' && setError(e), null));
      if (done) onChange(done.demandId);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('INTERNAL', String(e)));
    }
  };

  const createProfile = async () => {
    setError(null);
    setCreating(true);
    try {
      const s = await client.call('demand.profile', { dailyRequests: profile.dailyRequests, shapePreset: profile.shapePreset, growthPerMonth: profile.growthPerMonth, months: profile.months, ...(profile.name.trim() ? { name: profile.name.trim() } : {}) });
      demands.reload();
      onChange(s.id);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setCreating(false);
    }
  };

  return (
    <Panel title="Demand" id="plans-demand">
      <div className="table-wrap">
        <table data-testid="demand-list">
          <caption className="small muted">Choose the traffic to plan for (rates before any scale factor).</caption>
          <thead>
            <tr>
              <th scope="col">Plan for</th>
              <th scope="col">Demand</th>
              <th scope="col">Kind</th>
              <th className="num" scope="col">Span</th>
              <th className="num" scope="col">Requests</th>
              <th className="num" scope="col">Mean rate</th>
              <th className="num" scope="col" title="peak over mean of the per-minute and per-hour rate">Peak/mean 1 min · 1 h</th>
              <th className="num" scope="col">Input tokens mean · p90</th>
              <th className="num" scope="col">Output tokens mean · p90</th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id}>
                <td>
                  <input type="radio" name="plans-demand" checked={chosen === d.id} onChange={() => onChange(d.id)} aria-label={`Plan for ${d.name}`} />
                </td>
                <td>
                  #{d.id} {d.name}
                </td>
                <td>{d.kind === 'trace' ? `trace (${d.format})` : 'profile'}</td>
                <td className="num">{span(d.spanS)}</td>
                <td className="num">{count(d.requests)}</td>
                <td className="num">{rate(d.meanRate)}</td>
                <td className="num">
                  {decimal(d.peakToMean['60'], 2)} · {decimal(d.peakToMean['3600'], 2)}
                </td>
                <td className="num">
                  {count(d.inputTokens.mean)} · {count(d.inputTokens.p90)}
                </td>
                <td className="num">
                  {count(d.outputTokens.mean)} · {count(d.outputTokens.p90)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {demands.data && list.length === 0 && <p className="muted">No demand yet: import a trace or create a typed profile below.</p>}
      <div className="two-col" style={{ marginTop: 12 }}>
        <div className="dropzone">
          <strong>Import a trace</strong>
          <span className="small muted">Azure LLM inference CSV, BurstGPT CSV, Mooncake JSONL, or a generic CSV/JSONL/Parquet with a timestamp and token counts.</span>
          <label className="button">
            Choose trace file…
            <input type="file" accept=".csv,.jsonl,.json,.parquet" className="visually-hidden" data-testid="demand-import-file" disabled={job?.state === 'running'} onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void importTrace(f); }} />
          </label>
          {job?.state === 'running' && (
            <div className="inline-job" role="status">
              <span>Importing {fileLabel ?? 'trace'}: {job.progress?.stage ?? 'starting'}</span>
              <ProgressBar fraction={job.progress?.fraction ?? 0} label="Trace import progress" />
              <button className="small" onClick={() => void jobs.cancel(job.jobId)}>
                Cancel
              </button>
            </div>
          )}
        </div>
        <fieldset className="dropzone" disabled={creating}>
          <strong>Create a typed profile</strong>
          <div className="row">
            <label>
              <span className="small muted">Shape (24x7)</span>
              <select value={profile.shapePreset} onChange={(e) => setProfile({ ...profile, shapePreset: e.target.value as ProfileForm['shapePreset'] })}>
                <option value="diurnal">diurnal (a typical shape)</option>
                <option value="flat">flat</option>
              </select>
            </label>
            <label>
              <span className="small muted">Requests per day</span>
              <input type="number" min={1} value={profile.dailyRequests} onChange={(e) => setProfile({ ...profile, dailyRequests: Math.max(1, Number(e.target.value)) })} data-testid="profile-daily" />
            </label>
            <label>
              <span className="small muted">Growth per month (%)</span>
              <input type="number" step={1} min={-99} max={1000} value={Math.round(profile.growthPerMonth * 1000) / 10} onChange={(e) => setProfile({ ...profile, growthPerMonth: Number(e.target.value) / 100 })} className="narrow" />
            </label>
            <label>
              <span className="small muted">Months</span>
              <input type="number" min={0.25} max={36} step={0.25} value={profile.months} onChange={(e) => setProfile({ ...profile, months: Math.min(36, Math.max(0.25, Number(e.target.value))) })} className="narrow" />
            </label>
            <label className="grow">
              <span className="small muted">Name (optional)</span>
              <input value={profile.name} onChange={(e) => setProfile({ ...profile, name: e.target.value })} />
            </label>
            <button onClick={() => void createProfile()} data-testid="profile-create">
              Create profile
            </button>
          </div>
        </fieldset>
      </div>
      {(error ?? (job?.state === 'failed' ? job.error : null)) && <ErrorNotice error={(error ?? job?.error)!} fileLabel={fileLabel ?? undefined} onDismiss={() => setError(null)} />}
    </Panel>
  );
}
