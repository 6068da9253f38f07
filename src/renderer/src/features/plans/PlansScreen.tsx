import { useClient } from '../../app/context';
import { useJobs } from '../../app/jobs';
import { useRemembered, useSticky } from '../../app/sticky';
import { useCall } from '../../app/use-call';
import { ErrorNotice } from '../../components/ErrorNotice';
import { EmptyState, Panel, ProgressBar } from '../../components/States';
import { duration, percent, usd } from '../../format/units';
import { CostView } from './CostView';
import { DemandPicker } from './DemandPicker';
import { DemandView } from './DemandView';
import { PlanSettingsForm } from './PlanSettingsForm';
import { ReplayView } from './ReplayView';
import { defaultPlanForm, planInput, type PlanCreateResult, type PlanForm, type PlanInput } from './plan-form';

/** Plans over time (issue 28): a demand, the plan's settings, then its demand, cost and replay views. */
export function PlansScreen() {
  const client = useClient();
  const jobs = useJobs();
  const demands = useCall('demand.list', {});
  // Kept in the workspace like the other screens' forms, so a restart opens the last settings.
  const [storedForm, setForm] = useRemembered<PlanForm>('plans.form', defaultPlanForm);
  // A remembered demand that is gone (removed since) falls back to the most recent one.
  const stale = storedForm.demandId != null && demands.data != null && !demands.data.some((d) => d.id === storedForm.demandId);
  const form = stale ? { ...storedForm, demandId: null } : storedForm;
  const [planJob, setPlanJob] = useSticky<{ jobId: string; form: PlanForm } | null>('plans.job', null);
  const job = planJob ? jobs.jobs.find((j) => j.jobId === planJob.jobId) : undefined;
  const running = job?.state === 'running';
  const result = job?.state === 'done' ? (job.result as PlanCreateResult) : null;
  const input = job?.input as PlanInput | undefined;

  const plan = async () => {
    const r = jobs.start<PlanCreateResult>('plan.create', planInput(form), `Plan (${form.mode})`);
    // The outcome is shown from the jobs list (done, failed, cancelled): nothing to handle here.
    r.result.catch(() => undefined);
    const id = await r.jobId.catch(() => null);
    if (id) setPlanJob({ jobId: id, form });
  };

  return (
    <div className="screen-body">
      <DemandPicker demands={demands} value={form.demandId} onChange={(demandId) => setForm({ ...form, demandId })} />
      <Panel title="Plan settings" id="plans-settings">
        <PlanSettingsForm form={form} onChange={setForm} disabled={running} />
        <div className="row" style={{ marginTop: 10 }}>
          <button className="primary" onClick={() => void plan()} disabled={running || !demands.data?.length} data-testid="plan-create">
            {result ? 'Plan again' : 'Plan'}
          </button>
          {running && (
            <button onClick={() => void jobs.cancel(job.jobId)} data-testid="plan-cancel">
              Cancel
            </button>
          )}
          {result && (
            <button onClick={() => void client.saveExport(`plan-${result.plan.mode}.json`, JSON.stringify(result.plan, null, 2), 'utf8', 'application/json')} data-testid="plan-download">
              Download plan JSON
            </button>
          )}
        </div>
        {running && (
          <div role="status">
            <span className="small muted">{job.progress?.stage ?? 'starting'}</span>
            <ProgressBar fraction={job.progress?.fraction ?? 0} label="Planning progress" />
          </div>
        )}
        {job?.state === 'failed' && job.error && <ErrorNotice error={job.error} />}
        {job?.state === 'cancelled' && <p className="muted">Planning was cancelled.</p>}
        {result && (
          <p className="small" data-testid="plan-summary">
            {result.plan.mode} plan over {result.plan.intervals.length} intervals of {result.plan.intervalS % 3600 === 0 ? `${result.plan.intervalS / 3600} h` : `${result.plan.intervalS / 60} min`}: {usd(result.monthlyCost)}/month, promised SLO attainment {percent(result.sloAttainment, 2)}
            {result.plan.promise ? ` (${result.plan.promise.method}; intervals sized for their busiest ${result.plan.promise.burstWindowS} s)` : ''}, quality {percent(result.quality)} ({result.design.allocation.status}, gap {percent(result.design.allocation.gap, 2)}) · planned in {duration(result.ms)}
          </p>
        )}
        {result?.plan.qualityPremium && (
          <p className="small" data-testid="plan-quality-premium">
            The cheapest plan serving the same traffic: quality {percent(result.plan.qualityPremium.cheapestQuality)}, {usd(result.plan.qualityPremium.cheapestMonthlyCost)}/month, promised SLO attainment {percent(result.plan.qualityPremium.cheapestSloAttainment, 2)}. This plan’s quality costs <strong>{usd(result.plan.qualityPremium.premiumMonth)}/month</strong> more.
          </p>
        )}
      </Panel>
      {!result && !running && <EmptyState title="No plan yet">Choose a demand and the plan’s settings, then press Plan: routeplan sizes the fleet per interval, chooses reserved, on-demand and spot GPUs, and says what it promises.</EmptyState>}
      {result && planJob && (
        <>
          <DemandView plan={result.plan} demandId={input?.demandId} scale={input?.scale} />
          <CostView result={result} form={planJob.form} />
          <ReplayView plan={result.plan} planJobId={planJob.jobId} demandId={input?.demandId} scale={input?.scale} />
        </>
      )}
    </div>
  );
}
