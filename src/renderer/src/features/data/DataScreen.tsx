import type { CatalogEntry, GpuInventoryEntry } from '../../../../shared/contract';
import { useJobs } from '../../app/jobs';
import { useCall } from '../../app/use-call';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { EmptyState, Loading, Panel } from '../../components/States';
import { count, tokensPerSecond, usdPerHour, usdPerMillionTokens } from '../../format/units';
import { DatasetCard } from './DatasetCard';
import { ImportPanel } from './ImportPanel';

const catalogColumns: Column<CatalogEntry>[] = [
  { key: 'model', header: 'Model', value: (c) => c.model, render: (c) => c.model },
  { key: 'in', header: 'Input price', numeric: true, value: (c) => c.priceInPerM, render: (c) => usdPerMillionTokens(c.priceInPerM) },
  { key: 'out', header: 'Output price', numeric: true, value: (c) => c.priceOutPerM, render: (c) => usdPerMillionTokens(c.priceOutPerM) },
  { key: 'gpu', header: 'GPU', value: (c) => c.gpuType, render: (c) => c.gpuType ?? 'API' },
  { key: 'gpus', header: 'GPUs / instance', numeric: true, value: (c) => c.gpusPerInstance, render: (c) => count(c.gpusPerInstance) },
  { key: 'slots', header: 'Slots / instance', numeric: true, value: (c) => c.slotsPerInstance, render: (c) => count(c.slotsPerInstance) },
  { key: 'decode', header: 'Decode', numeric: true, value: (c) => c.decodeTokensPerS, render: (c) => tokensPerSecond(c.decodeTokensPerS) },
];

const inventoryColumns: Column<GpuInventoryEntry>[] = [
  { key: 'gpu', header: 'GPU type', value: (g) => g.gpuType, render: (g) => g.gpuType },
  { key: 'count', header: 'Count', numeric: true, value: (g) => g.count, render: (g) => count(g.count) },
  { key: 'price', header: 'Price per GPU', numeric: true, value: (g) => g.hourlyPrice, render: (g) => usdPerHour(g.hourlyPrice) },
  { key: 'mem', header: 'Memory', numeric: true, value: (g) => g.memoryGb, render: (g) => `${count(g.memoryGb)} GB` },
];

export function DataScreen() {
  const datasets = useCall('datasets.list', {});
  const catalog = useCall('catalog.list', {});
  const inventory = useCall('inventory.list', {});
  const jobs = useJobs();
  const demoRunning = jobs.jobs.some((j) => j.method === 'demo.create' && j.state === 'running');
  return (
    <div className="screen-body">
      <ImportPanel />
      <Panel
        title="Datasets"
        id="datasets"
        actions={
          <button className="small" disabled={demoRunning} onClick={() => void jobs.start('demo.create', {}).result.catch(() => undefined)}>
            {demoRunning ? 'Creating demo data…' : 'Add demo data'}
          </button>
        }
      >
        {datasets.error && <ErrorNotice error={datasets.error} />}
        {!datasets.data && !datasets.error && <Loading what="datasets" />}
        {datasets.data?.length === 0 && (
          <EmptyState title="No datasets yet">Import a RouterBench CSV, a long CSV or a JSON file above, or add the built-in demo data.</EmptyState>
        )}
        <div data-testid="datasets">
          {datasets.data?.map((d) => <DatasetCard key={d.id} dataset={d} />)}
        </div>
      </Panel>
      <div className="screen-body">
        <Panel title="Model catalog" id="catalog">
          {catalog.error && <ErrorNotice error={catalog.error} />}
          {catalog.data?.length === 0 && <EmptyState title="No catalog">Import a model catalog (prices, GPUs per instance, decode speed) to plan capacity.</EmptyState>}
          {catalog.data && catalog.data.length > 0 && <DataTable rows={catalog.data} columns={catalogColumns} rowKey={(c) => c.model} testId="catalog" />}
        </Panel>
        <Panel title="GPU inventory" id="inventory">
          {inventory.error && <ErrorNotice error={inventory.error} />}
          {inventory.data?.length === 0 && <EmptyState title="No GPUs">Import a GPU inventory (type, count, hourly price, memory).</EmptyState>}
          {inventory.data && inventory.data.length > 0 && <DataTable rows={inventory.data} columns={inventoryColumns} rowKey={(g) => g.gpuType} testId="inventory" />}
        </Panel>
      </div>
    </div>
  );
}
