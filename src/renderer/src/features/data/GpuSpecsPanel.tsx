import { useState } from 'react';
import type { GpuSpecView } from '../../../../shared/contract/performance';
import { ApiError } from '../../api/client';
import { useClient } from '../../app/context';
import { useJobs } from '../../app/jobs';
import { useCall } from '../../app/use-call';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { EmptyState, Panel } from '../../components/States';
import { count } from '../../format/units';

/** The workspace's own GPU specs (gpus import): laid over the built-in GPU catalog by every capacity path. */
export function GpuSpecsPanel() {
  const client = useClient();
  const jobs = useJobs();
  const gpus = useCall('performance.gpus', {});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = gpus.data?.filter((g) => g.origin === 'workspace');
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
      gpus.reload();
      jobs.bump();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('INTERNAL', String(e)));
    } finally {
      setBusy(false);
    }
  };
  const importFile = () =>
    act(async () => {
      const file = await client.fileForImport();
      if (file) await client.call('performance.importGpus', { file });
    });
  const columns: Column<GpuSpecView>[] = [
    { key: 'name', header: 'GPU', value: (g) => g.name, render: (g) => g.name },
    { key: 'over', header: 'Overrides', value: (g) => g.replaces, render: (g) => g.replaces ?? 'new type' },
    { key: 'mem', header: 'Memory', numeric: true, value: (g) => g.memoryGb, render: (g) => `${count(g.memoryGb)} GB` },
    { key: 'hbm', header: 'Bandwidth', numeric: true, value: (g) => g.hbmGBps, render: (g) => `${count(g.hbmGBps)} GB/s` },
    { key: 'bf16', header: 'BF16', numeric: true, value: (g) => g.bf16Tflops, render: (g) => `${count(g.bf16Tflops)} TFLOP/s` },
    { key: 'file', header: 'From file', value: (g) => g.importedFrom?.fileName ?? null, render: (g) => g.importedFrom?.fileName ?? '' },
    { key: 'remove', header: '', render: (g) => <button className="small" disabled={busy} onClick={() => void act(() => client.call('performance.removeGpu', { name: g.name }))}>Remove</button> },
  ];
  return (
    <Panel
      title="GPU specs"
      id="gpu-specs"
      actions={<button className="small" disabled={busy} onClick={() => void importFile()} data-testid="gpu-specs-import">Import GPU specs…</button>}
    >
      {(error ?? gpus.error) && <ErrorNotice error={(error ?? gpus.error)!} />}
      {mine?.length === 0 && (
        <EmptyState title="Built-in GPU catalog only">Import a CSV or JSON of GPU specs (name, memoryGb, hbmGBps, bf16Tflops, fp8Tflops, int8Tops, interconnectGBps, source) for a GPU the catalog lacks or to correct a datasheet figure.</EmptyState>
      )}
      {mine && mine.length > 0 && <DataTable rows={mine} columns={columns} rowKey={(g) => g.name} testId="gpu-specs" />}
    </Panel>
  );
}
