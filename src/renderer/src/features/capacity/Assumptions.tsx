import type { RefusedDeployment } from '../../../../shared/contract/allocation';
import type { PlanAssumptions } from '../../../../shared/contract/plan-assumptions';
import { DataTable, type Column } from '../../components/DataTable';
import { Panel } from '../../components/States';
import { count, queriesPerSecond, tokensPerSecond } from '../../format/units';

type DeploymentRow = PlanAssumptions['deployments'][number] & { outputTokens: number; outputSource: string };
type ApiRow = PlanAssumptions['models'][number];

const deploymentColumns: Column<DeploymentRow>[] = [
  { key: 'model', header: 'Model', value: (d) => d.model, render: (d) => d.model },
  { key: 'gpu', header: 'GPU', value: (d) => d.gpuType, render: (d) => d.gpuType },
  { key: 'gpus', header: 'GPUs', numeric: true, value: (d) => d.gpusPerInstance, render: (d) => count(d.gpusPerInstance) },
  { key: 'slots', header: 'Concurrency', numeric: true, help: 'Sequences one instance serves at once: the KV-cache limit under the performance model, the typed slots otherwise.', value: (d) => d.slotsPerInstance, render: (d) => count(d.slotsPerInstance) },
  { key: 'memory', header: 'Weights / KV GB', numeric: true, help: 'Performance model: the instance’s weights and the KV cache left for sequences (all its GPUs).', value: (d) => d.memory?.weightsGb ?? null, render: (d) => (d.memory ? `${d.memory.weightsGb.toFixed(1)} / ${d.memory.kvCacheGb.toFixed(1)}` : '—') },
  { key: 'decode', header: 'Decode', numeric: true, help: 'Typed profiles only: output tokens per second one sequence is generated at.', value: (d) => d.decodeTokensPerS, render: (d) => (d.decodeTokensPerS == null ? '—' : tokensPerSecond(d.decodeTokensPerS)) },
  { key: 'out', header: 'Out tok/query', numeric: true, help: 'Mean output tokens per query of this model: from the dataset’s token counts, or the plan’s default (marked) when the dataset has none.', value: (d) => d.outputTokens, render: (d) => `${count(d.outputTokens)}${d.outputSource === 'default' ? ' (default)' : ''}` },
  { key: 'qps', header: 'Per instance', numeric: true, help: 'Queries per second one instance sustains: its goodput at the latency SLO (performance model), or concurrency over the time one query takes (typed profile).', value: (d) => d.qpsPerInstance, render: (d) => queriesPerSecond(d.qpsPerInstance) },
  { key: 'capacity', header: 'Capacity from', help: 'measured: your imported measurements; fitted: the performance model refitted to them; estimated: the performance model on the architecture and the GPU datasheet; typed: the catalog’s three figures.', value: (d) => d.capacitySource, render: (d) => d.capacitySource },
  { key: 'source', header: 'From', help: 'catalog: the model’s row of the catalog; option: an extra deployment row for another GPU type.', value: (d) => d.source, render: (d) => (d.source === 'catalog' ? 'catalog' : 'option') },
];

const apiColumns: Column<ApiRow>[] = [
  { key: 'model', header: 'API model', value: (m) => m.model, render: (m) => m.model },
  { key: 'out', header: 'Out tok/query', numeric: true, value: (m) => m.outputTokensPerQuery, render: (m) => `${count(m.outputTokensPerQuery)}${m.outputTokensSource === 'default' ? ' (default)' : ''}` },
  { key: 'rate', header: 'Rate limit', numeric: true, value: (m) => m.rateLimitQps, render: (m) => (m.rateLimitQps == null ? 'none' : queriesPerSecond(m.rateLimitQps)) },
];

/** What the plan rests on, per deployment, with the source of each figure (edit them on the Data screen). */
export function Assumptions({ assumptions, refused = [] }: { assumptions: PlanAssumptions; refused?: RefusedDeployment[] }) {
  const byModel = new Map(assumptions.models.map((m) => [m.model, m]));
  const rows: DeploymentRow[] = assumptions.deployments.map((d) => ({ ...d, outputTokens: byModel.get(d.model)?.outputTokensPerQuery ?? Number.NaN, outputSource: byModel.get(d.model)?.outputTokensSource ?? '—' }));
  const api = assumptions.models.filter((m) => !m.hosted);
  return (
    <Panel title="Assumptions of this plan" id="assumptions">
      <p className="small" data-testid="quality-source">
        Quality: <strong>{assumptions.qualitySource}</strong> · input tokens per query: <strong>{count(assumptions.inputTokensPerQuery)}</strong> (mean of the sample)
        {assumptions.slo && (
          <>
            {' '}
            · capacity is goodput at p90 TTFT ≤ <strong>{count(assumptions.slo.ttftP90Ms)} ms</strong> and p90 TPOT ≤ <strong>{count(assumptions.slo.tpotP90Ms)} ms</strong>
          </>
        )}
        . Prices, instance profiles and rate limits come from the model catalog and the GPU inventory: edit them on the Data screen.
      </p>
      {rows.length > 0 && <DataTable rows={rows} columns={deploymentColumns} rowKey={(d) => `${d.model}@${d.gpuType}`} testId="assumptions-table" caption="Self-hosted deployments" />}
      {api.length > 0 && <DataTable rows={api} columns={apiColumns} rowKey={(m) => m.model} testId="assumptions-api" caption="API models" />}
      {refused.length > 0 && (
        <div data-testid="refused-deployments">
          <p className="small">
            <strong>Left out of the plan</strong> ({refused.length} deployment option{refused.length === 1 ? '' : 's'} the inventory’s GPUs cannot run):
          </p>
          <ul className="small">
            {refused.map((d) => (
              <li key={`${d.model}@${d.gpuType}`}>
                {d.model} on {d.gpuType}: {d.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
