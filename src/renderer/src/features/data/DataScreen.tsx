import type { CatalogEntry, GpuInventoryEntry } from '../../../../shared/contract';
import type { ApiError } from '../../api/client';
import { useJobs } from '../../app/jobs';
import { useCall } from '../../app/use-call';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { EmptyState, Loading, Panel } from '../../components/States';
import { count, plural, queriesPerSecond, tokensPerSecond, usdPerHour, usdPerMillionTokens } from '../../format/units';
import { useState } from 'react';
import { useClient } from '../../app/context';
import { DatasetCard } from './DatasetCard';
import { RowEditor, type EditField } from './RowEditor';
import { ImportPanel } from './ImportPanel';
import { GpuSpecsPanel } from './GpuSpecsPanel';

const catalogColumns: Column<CatalogEntry>[] = [
  { key: 'model', header: 'Model', value: (c) => c.model, render: (c) => c.model },
  { key: 'in', header: 'Input price', numeric: true, value: (c) => c.priceInPerM, render: (c) => usdPerMillionTokens(c.priceInPerM) },
  { key: 'out', header: 'Output price', numeric: true, value: (c) => c.priceOutPerM, render: (c) => usdPerMillionTokens(c.priceOutPerM) },
  { key: 'gpu', header: 'GPU', value: (c) => c.gpuType, render: (c) => c.gpuType ?? 'API' },
  { key: 'gpus', header: 'GPUs / instance', numeric: true, value: (c) => c.gpusPerInstance, render: (c) => count(c.gpusPerInstance) },
  { key: 'slots', header: 'Slots / instance', numeric: true, value: (c) => c.slotsPerInstance, render: (c) => count(c.slotsPerInstance) },
  { key: 'decode', header: 'Decode', numeric: true, value: (c) => c.decodeTokensPerS, render: (c) => tokensPerSecond(c.decodeTokensPerS) },
  { key: 'rate', header: 'Rate limit', numeric: true, value: (c) => c.rateLimitQps, render: (c) => (c.gpuType ? '—' : c.rateLimitQps == null ? 'none' : queriesPerSecond(c.rateLimitQps)) },
];

const catalogFields: EditField<CatalogEntry>[] = [
  { key: 'priceInPerM', header: 'Input $/1M tok' },
  { key: 'priceOutPerM', header: 'Output $/1M tok' },
  { key: 'gpuType', header: 'GPU (empty = API)', text: true, nullable: true },
  { key: 'gpusPerInstance', header: 'GPUs / instance', nullable: true },
  { key: 'slotsPerInstance', header: 'Slots / instance', nullable: true },
  { key: 'decodeTokensPerS', header: 'Decode tok/s', nullable: true },
  { key: 'prefillTokensPerS', header: 'Prefill tok/s', nullable: true },
  { key: 'rateLimitQps', header: 'Rate limit queries/s', nullable: true },
];

const inventoryFields: EditField<GpuInventoryEntry>[] = [
  { key: 'count', header: 'Count' },
  { key: 'hourlyPrice', header: '$ per GPU-hour' },
  { key: 'memoryGb', header: 'Memory GB' },
];

/** The last save of an editor, to undo it: the rows as they were. */
type Undo = { kind: 'catalog'; rows: CatalogEntry[] } | { kind: 'inventory'; rows: GpuInventoryEntry[] };

const inventoryColumns: Column<GpuInventoryEntry>[] = [
  { key: 'gpu', header: 'GPU type', value: (g) => g.gpuType, render: (g) => g.gpuType },
  { key: 'count', header: 'Count', numeric: true, value: (g) => g.count, render: (g) => count(g.count) },
  { key: 'price', header: 'Price per GPU-hour', numeric: true, value: (g) => g.hourlyPrice, render: (g) => usdPerHour(g.hourlyPrice) },
  { key: 'mem', header: 'Memory', numeric: true, value: (g) => g.memoryGb, render: (g) => `${count(g.memoryGb)} GB` },
];

export function DataScreen() {
  const datasets = useCall('datasets.list', {});
  const catalog = useCall('catalog.list', {});
  const inventory = useCall('inventory.list', {});
  const jobs = useJobs();
  const client = useClient();
  const [editing, setEditing] = useState<'catalog' | 'inventory' | null>(null);
  const [undo, setUndo] = useState<Undo | null>(null);
  const [undoError, setUndoError] = useState<ApiError | null>(null);
  const saveCatalog = async (changed: CatalogEntry[]) => {
    const old = catalog.data!.filter((c) => changed.some((x) => x.model === c.model));
    await client.call('catalog.update', { entries: changed });
    setUndo({ kind: 'catalog', rows: old });
    catalog.reload();
  };
  const saveInventory = async (changed: GpuInventoryEntry[]) => {
    const old = inventory.data!.filter((g) => changed.some((x) => x.gpuType === g.gpuType));
    await client.call('inventory.update', { entries: changed });
    setUndo({ kind: 'inventory', rows: old });
    inventory.reload();
    jobs.bump();
  };
  const undoLast = async () => {
    if (!undo) return;
    setUndoError(null);
    try {
      if (undo.kind === 'catalog') await client.call('catalog.update', { entries: undo.rows });
      else await client.call('inventory.update', { entries: undo.rows });
      setUndo(null);
      catalog.reload();
      inventory.reload();
      jobs.bump();
    } catch (e) {
      setUndoError(e as ApiError);
    }
  };
  const undoBar = (kind: Undo['kind']) =>
    undo?.kind === kind && (
      <p className="notice ok small" role="status" data-testid={`${kind}-saved`}>
        Saved {plural(undo.rows.length, 'row')}.{' '}
        <button className="small" onClick={() => void undoLast()} data-testid={`${kind}-undo`}>
          Undo
        </button>
      </p>
    );
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
        <Panel
          title="Model catalog"
          id="catalog"
          actions={catalog.data && catalog.data.length > 0 && editing !== 'catalog' ? <button className="small" onClick={() => (setEditing('catalog'), setUndo(null))} data-testid="catalog-edit">Edit</button> : undefined}
        >
          {catalog.error && <ErrorNotice error={catalog.error} />}
          {catalog.data?.length === 0 && <EmptyState title="No catalog">Import a model catalog (prices, GPUs per instance, decode speed) to plan capacity.</EmptyState>}
          {catalog.data && catalog.data.length > 0 && editing !== 'catalog' && <DataTable rows={catalog.data} columns={catalogColumns} rowKey={(c) => c.model} testId="catalog" />}
          {catalog.data && editing === 'catalog' && <RowEditor rows={catalog.data} fields={catalogFields} rowKey={(c) => c.model} keyHeader="Model" save={saveCatalog} testId="catalog-table-editor" onDone={() => setEditing(null)} />}
          {undoBar('catalog')}
        </Panel>
        <Panel
          title="GPU inventory"
          id="inventory"
          actions={inventory.data && inventory.data.length > 0 && editing !== 'inventory' ? <button className="small" onClick={() => (setEditing('inventory'), setUndo(null))} data-testid="inventory-edit">Edit</button> : undefined}
        >
          {inventory.error && <ErrorNotice error={inventory.error} />}
          {inventory.data?.length === 0 && <EmptyState title="No GPUs">Import a GPU inventory (type, count, hourly price, memory).</EmptyState>}
          {inventory.data && inventory.data.length > 0 && editing !== 'inventory' && <DataTable rows={inventory.data} columns={inventoryColumns} rowKey={(g) => g.gpuType} testId="inventory" />}
          {inventory.data && editing === 'inventory' && <RowEditor rows={inventory.data} fields={inventoryFields} rowKey={(g) => g.gpuType} keyHeader="GPU type" save={saveInventory} testId="inventory-table-editor" onDone={() => setEditing(null)} />}
          {undoBar('inventory')}
          {undoError && <ErrorNotice error={undoError} onDismiss={() => setUndoError(null)} />}
        </Panel>
        <GpuSpecsPanel />
      </div>
    </div>
  );
}
