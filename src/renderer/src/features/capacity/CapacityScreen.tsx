import { useEffect, useRef, useState } from 'react';
import type { AllocationResult, DeploymentCount, WhatIfResult } from '../../../../shared/contract/allocation';
import { ApiError } from '../../api/client';
import { useClient } from '../../app/context';
import { useJobs } from '../../app/jobs';
import { useRemembered, useSticky } from '../../app/sticky';
import { ErrorNotice } from '../../components/ErrorNotice';
import { EmptyState, Panel, ProgressBar } from '../../components/States';
import { plural } from '../../format/units';
import { InstanceSliders } from './InstanceSliders';
import { PlanSettings, type PlanForm } from './PlanSettings';
import { Procurement } from './Procurement';
import { Scenarios, type ScenarioInput } from './Scenarios';
import { WhatIfResults } from './WhatIfResults';
import { Assumptions } from './Assumptions';
import { BaselineComparison, OptimiseSummary } from './BaselineComparison';
import { DeploymentPerformance } from './DeploymentPerformance';
import { countsToRows, deploymentKey, own, type Counts, type WhatIfContextInfo } from './types';

const defaultPlan: PlanForm = { datasetId: null, trafficQps: 20, hourlySpendCap: null, maxUtilisation: 0.8, sampleSize: 2000 };

export function CapacityScreen() {
  const client = useClient();
  const jobs = useJobs();
  const [plan, setPlan] = useRemembered<PlanForm>('capacity.plan', defaultPlan);
  const [ctx, setCtx] = useSticky<WhatIfContextInfo | null>('capacity.ctx', null);
  const [counts, setCounts] = useSticky<Counts>('capacity.counts', {});
  const [purchase, setPurchase] = useSticky<Record<string, number>>('capacity.purchase', {});
  const [optimiseJob, setOptimiseJob] = useSticky<string | null>('capacity.optimiseJob', null);
  const [result, setResult] = useState<WhatIfResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [preparing, setPreparing] = useState(false);
  const seq = useRef(0);
  const optimising = jobs.jobs.find((j) => j.jobId === optimiseJob);
  const optimised = optimising?.state === 'done' ? (optimising.result as AllocationResult) : null;

  const prepare = async (p: PlanForm = plan) => {
    setPreparing(true);
    setError(null);
    try {
      const c = await client.call('whatif.prepare', {
        workspace: {
          trafficQps: p.trafficQps,
          maxUtilisation: p.maxUtilisation,
          sampleSize: p.sampleSize,
          hourlySpendCap: p.hourlySpendCap,
          slo: { ttftP90Ms: p.ttftP90Ms ?? 2000, tpotP90Ms: p.tpotP90Ms ?? 100 },
          ...(p.datasetId != null ? { datasetId: p.datasetId } : {}),
          ...(p.predictorId != null ? { predictorId: p.predictorId } : {}),
        },
      });
      setCtx(c);
      return c;
    } catch (e) {
      setError(e as ApiError);
      return null;
    } finally {
      setPreparing(false);
    }
  };

  const optimise = async (c: WhatIfContextInfo) => {
    // The sliders' counts go along: the optimum is never worse than what is on screen.
    const r = jobs.start<AllocationResult>('whatif.optimise', { contextId: c.contextId, purchase, ...(Object.values(counts).some((n) => n > 0) ? { instances: countsToRows(c, counts) } : {}) });
    setOptimiseJob(await r.jobId.catch(() => null));
    const done = await r.result.catch((e: ApiError) => (setError(e), null));
    if (done && Array.isArray(done.instances)) setCounts(Object.fromEntries((done.instances as DeploymentCount[]).map((d) => [deploymentKey(d), d.count])));
  };

  // Live recomputation as sliders move; only the newest answer is shown. While the optimiser
  // runs, the counts on screen are about to be replaced, so nothing is recomputed.
  const solving = optimising?.state === 'running';
  useEffect(() => {
    if (!ctx || solving) return;
    const mine = ++seq.current;
    const t = setTimeout(() => {
      client.call('whatif.evaluate', { contextId: ctx.contextId, instances: countsToRows(ctx, counts), purchase, trafficQps: plan.trafficQps }).then(
        (r) => mine === seq.current && (setResult(r), setError(null)),
        (e: ApiError) => mine === seq.current && setError(e),
      );
    }, 40);
    return () => clearTimeout(t);
  }, [client, ctx, counts, purchase, plan.trafficQps, solving]);

  // Makes the what-if purchase real: the stored inventory gets owned + bought, and the plan is
  // prepared again from it (with nothing left to buy).
  const saveInventory = async () => {
    if (!ctx) return;
    const entries = ctx.gpuTypes.filter((g) => own(purchase, g.name)).map((g) => ({ gpuType: g.name, count: Math.max(0, g.count + own(purchase, g.name)!) }));
    try {
      await client.call('inventory.update', { entries });
      setPurchase({});
      await prepare();
    } catch (e) {
      setError(e as ApiError);
    }
  };

  const load = async (s: ScenarioInput) => {
    setPlan(s.plan);
    setPurchase(s.purchase);
    setCounts(s.counts);
    await prepare(s.plan);
  };

  return (
    <div className="screen-body">
      <Panel title="Traffic to plan for" id="plan">
        <PlanSettings form={plan} onChange={setPlan} disabled={preparing} />
        <div className="row" style={{ marginTop: 10 }}>
          <button
            className="primary"
            disabled={preparing}
            onClick={async () => {
              const c = await prepare();
              if (c) await optimise(c);
            }}
            data-testid="plan-button"
          >
            {ctx ? 'Re-plan' : 'Plan capacity'}
          </button>
          {ctx && (
            <button onClick={() => void optimise(ctx)} disabled={optimising?.state === 'running'}>
              Optimise instances{Object.values(purchase).some((v) => v) ? ' after purchase' : ''}
            </button>
          )}
          {ctx && <span className="small muted">{plural(ctx.sample, 'sample query', 'sample queries')} · {plural(ctx.models.length, 'model')} · {plural(ctx.deployments.length, 'deployment option')}</span>}
        </div>
        {optimising?.state === 'running' && <ProgressBar fraction={optimising.progress?.fraction ?? 0} label="Allocation progress" />}
        {optimised && (
          <p className="small" data-testid="optimise-summary">
            <OptimiseSummary r={optimised} />
          </p>
        )}
      </Panel>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      {!ctx && !preparing && <EmptyState title="No plan yet">Set the traffic above and press Plan capacity: routeplan samples the dataset, builds every deployment option from the model catalog and the GPU inventory, and finds the best instance counts.</EmptyState>}
      {ctx && (
        <Panel title="Instances" id="instances">
          <InstanceSliders ctx={ctx} counts={counts} purchase={purchase} onCounts={setCounts} onPurchase={setPurchase} onSaveInventory={() => void saveInventory()} />
        </Panel>
      )}
      {ctx && result && <WhatIfResults result={result} ctx={ctx} counts={counts} />}
      {ctx?.assumptions && <Assumptions assumptions={ctx.assumptions} refused={ctx.refusedDeployments} />}
      {ctx && optimised?.baselines && <BaselineComparison optimised={optimised} onLoad={setCounts} />}
      {ctx && <DeploymentPerformance ctx={ctx} counts={counts} result={result} />}
      {ctx && <Scenarios current={{ plan, counts, purchase }} result={result} onLoad={(s) => void load(s)} />}
      {ctx && <Procurement ctx={ctx} />}
    </div>
  );
}
