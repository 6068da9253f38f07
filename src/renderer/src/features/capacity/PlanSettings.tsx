import type { WorkspacePlan } from '../../../../shared/contract/allocation';
import { useEffect } from 'react';
import { useCall } from '../../app/use-call';
import { inCatalog, pickCompatible } from '../../app/compatible';
import { DatasetSelect } from '../../components/DatasetSelect';
import { percent, queriesPerSecond } from '../../format/units';

export type PlanForm = Pick<WorkspacePlan, 'trafficQps' | 'maxUtilisation' | 'sampleSize'> & {
  datasetId: number | null;
  hourlySpendCap: number | null;
  /** The quality source: a trained predictor of the traffic dataset, or null for per-task accuracy. */
  predictorId?: number | null;
  /** The latency SLO every self-hosted option's capacity (goodput) is computed for. */
  ttftP90Ms?: number;
  tpotP90Ms?: number;
};

/** The traffic to plan for: which dataset stands for it, its rate, utilisation ceiling and sample size. */
export function PlanSettings({ form, onChange, disabled }: { form: PlanForm; onChange: (f: PlanForm) => void; disabled?: boolean }) {
  const datasets = useCall('datasets.list', {});
  const catalog = useCall('catalog.list', {});
  const predictors = useCall('predictor.list', {});
  const set = (patch: Partial<PlanForm>) => onChange({ ...form, ...patch });
  // Only a dataset with models in the catalog can be planned for: the remembered one while it
  // fits, else the most recent that does (not simply the most recent, which may be RouterBench
  // without a catalog). The choice is written into the form so that Plan uses it.
  const fits = inCatalog(catalog.data);
  const effective = datasets.data && catalog.data ? pickCompatible(datasets.data, form.datasetId, fits) : form.datasetId;
  useEffect(() => {
    if (effective !== form.datasetId) onChange({ ...form, datasetId: effective });
  }, [effective, form, onChange]);
  return (
    <fieldset className="form" disabled={disabled}>
      <DatasetSelect datasets={datasets.data} compatible={fits} value={effective} onChange={(id) => set({ datasetId: id })} label="Traffic mix (dataset)" testId="plan-dataset" />
      <label>
        <span className="small muted">Quality source</span>
        <select value={form.predictorId ?? ''} onChange={(e) => set({ predictorId: e.target.value === '' ? null : Number(e.target.value) })} data-testid="plan-quality-source">
          <option value="">per-task accuracy on the dataset's labels (fallback)</option>
          {(predictors.data ?? [])
            .filter((p) => p.datasetId === effective)
            .map((p) => (
              <option key={p.id} value={p.id}>
                predictor #{p.id} {p.name} (calibrated probabilities)
              </option>
            ))}
        </select>
      </label>
      <label>
        <span className="small muted">Traffic: {queriesPerSecond(form.trafficQps)}</span>
        <input type="number" min={0.1} step={0.1} value={form.trafficQps} onChange={(e) => set({ trafficQps: Math.max(0.1, Number(e.target.value)) })} data-testid="plan-traffic" />
      </label>
      <label>
        <span className="small muted">Spend cap ($/h, empty = none)</span>
        <input type="number" min={0} value={form.hourlySpendCap ?? ''} onChange={(e) => set({ hourlySpendCap: e.target.value === '' ? null : Number(e.target.value) })} data-testid="plan-cap" />
      </label>
      <label>
        <span className="small muted">Max utilisation: {percent(form.maxUtilisation, 0)}</span>
        <input type="range" min={0.3} max={0.95} step={0.05} value={form.maxUtilisation} onChange={(e) => set({ maxUtilisation: Number(e.target.value) })} aria-valuetext={percent(form.maxUtilisation, 0)} />
      </label>
      <label>
        <span className="small muted">SLO: p90 time to first token (ms)</span>
        <input type="number" min={10} max={600000} value={form.ttftP90Ms ?? 2000} onChange={(e) => set({ ttftP90Ms: Math.max(10, Number(e.target.value)) })} data-testid="plan-ttft" />
      </label>
      <label>
        <span className="small muted">SLO: p90 time per output token (ms)</span>
        <input type="number" min={1} max={60000} value={form.tpotP90Ms ?? 100} onChange={(e) => set({ tpotP90Ms: Math.max(1, Number(e.target.value)) })} data-testid="plan-tpot" />
      </label>
      <label>
        <span className="small muted">Sample (queries)</span>
        <input type="number" min={10} max={100000} value={form.sampleSize} onChange={(e) => set({ sampleSize: Number(e.target.value) })} />
      </label>
    </fieldset>
  );
}
