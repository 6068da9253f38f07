import { ChoiceField } from '../../components/ChoiceField';
import type { PlanForm, ReservedTerm } from './plan-form';

const percentiles = [
  { value: '0.5', label: 'P50' },
  { value: '0.9', label: 'P90' },
  { value: '0.95', label: 'P95' },
  { value: '0.99', label: 'P99' },
  { value: '1', label: 'peak' },
];
const intervals = [
  { value: '60', label: '1 min' },
  { value: '300', label: '5 min' },
  { value: '900', label: '15 min' },
  { value: '3600', label: '1 h' },
];

// A trace's bursts shorter than a minute queue requests past a TTFT target of seconds; sizing for them costs more.
const burstWindows = [
  { value: '10', label: '10 s' },
  { value: '30', label: '30 s' },
  { value: '60', label: 'minute' },
  { value: '300', label: '5 min' },
];
const num = (s: string) => (s.trim() === '' ? null : Number(s));

/** plan.create's settings: mode and its policy, objective, budget, SLO, price tiers, interval, scale. */
export function PlanSettingsForm({ form, onChange, disabled }: { form: PlanForm; onChange: (f: PlanForm) => void; disabled?: boolean }) {
  const set = (patch: Partial<PlanForm>) => onChange({ ...form, ...patch });
  return (
    <fieldset disabled={disabled} data-testid="plan-settings" style={{ border: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: 10 }}>
      <div className="row">
        <ChoiceField
          label="Mode"
          value={form.mode}
          options={[
            { value: 'static', label: 'static fleet' },
            { value: 'autoscale', label: 'autoscaled fleet' },
            { value: 'overflow', label: 'static + API overflow' },
          ]}
          onChange={(mode) => set({ mode, percentile: mode === 'overflow' ? 0.5 : mode === 'static' ? 0.95 : form.percentile })}
          testId="plan-mode"
        />
        {form.mode !== 'autoscale' && <ChoiceField label="Sized for intervals at" value={String(form.percentile)} options={percentiles} onChange={(v) => set({ percentile: Number(v) })} testId="plan-percentile" />}
        <ChoiceField label="Each interval sized for its busiest" value={String(form.burstWindowS ?? 60)} options={burstWindows} onChange={(v) => set({ burstWindowS: Number(v) })} testId="plan-burst-window" />
        {form.mode === 'static' && (
          <label className="check">
            <input type="checkbox" checked={form.nPlusOne} onChange={(e) => set({ nPlusOne: e.target.checked })} /> N+1 (a spare per hosted model)
          </label>
        )}
        {form.mode === 'autoscale' && (
          <>
            <label>
              <span className="small muted">Scale-up delay (s)</span>
              <input type="number" min={0} max={86400} value={form.scaleUpDelayS} onChange={(e) => set({ scaleUpDelayS: Math.max(0, Number(e.target.value)) })} className="narrow" />
            </label>
            <label>
              <span className="small muted">Min replicas</span>
              <input type="number" min={0} step={1} value={form.minReplicas} onChange={(e) => set({ minReplicas: Math.max(0, Math.trunc(Number(e.target.value))) })} className="narrow" />
            </label>
          </>
        )}
        <ChoiceField label="Interval" value={String(form.intervalS)} options={intervals} onChange={(v) => set({ intervalS: Number(v) })} testId="plan-interval" />
        <label>
          <span className="small muted">Scale (× demand rate)</span>
          <input type="number" min={0.001} step="any" value={form.scale ?? ''} placeholder="1" onChange={(e) => set({ scale: num(e.target.value) })} className="narrow" data-testid="plan-scale" />
        </label>
      </div>
      <div className="row">
        <ChoiceField
          label="Objective"
          value={form.objective}
          options={[
            { value: 'quality', label: 'best quality, then cheapest' },
            { value: 'cost', label: 'cheapest at a quality floor' },
          ]}
          onChange={(objective) => set({ objective })}
          testId="plan-objective"
        />
        {form.objective === 'cost' && (
          <label>
            <span className="small muted">Quality floor (%)</span>
            <input type="number" min={0} max={100} step={0.1} value={form.qualityFloor == null ? '' : Math.round(form.qualityFloor * 1000) / 10} onChange={(e) => { const v = num(e.target.value); set({ qualityFloor: v == null ? null : v / 100 }); }} className="narrow" data-testid="plan-quality-floor" />
          </label>
        )}
        <label>
          <span className="small muted">Budget ($/month, empty = none)</span>
          <input type="number" min={0} value={form.budgetMonth ?? ''} onChange={(e) => set({ budgetMonth: num(e.target.value) })} />
        </label>
        <label>
          <span className="small muted">SLO p90 TTFT (ms)</span>
          <input type="number" min={1} value={form.ttftP90Ms} onChange={(e) => set({ ttftP90Ms: Math.max(1, Number(e.target.value)) })} className="narrow" />
        </label>
        <label>
          <span className="small muted">SLO p90 TPOT (ms)</span>
          <input type="number" min={1} value={form.tpotP90Ms} onChange={(e) => set({ tpotP90Ms: Math.max(1, Number(e.target.value)) })} className="narrow" />
        </label>
        <ChoiceField<ReservedTerm>
          label="Reserved term"
          value={form.reservedTerm}
          options={[
            { value: 'none', label: 'none (on-demand)' },
            { value: '1y', label: '1 year' },
            { value: '3y', label: '3 years' },
          ]}
          onChange={(reservedTerm) => set({ reservedTerm })}
          testId="plan-reserved"
        />
        <label>
          <span className="small muted">Spot share, most (%)</span>
          <input type="number" min={0} max={100} step={5} value={Math.round(form.maxSpotShare * 100)} onChange={(e) => set({ maxSpotShare: Math.min(1, Math.max(0, Number(e.target.value) / 100)) })} className="narrow" />
        </label>
      </div>
    </fieldset>
  );
}
