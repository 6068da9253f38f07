import { useState } from 'react';
import type { DatasetSummary, ModelAccuracy } from '../../../../shared/contract';
import { useClient } from '../../app/context';
import { useJobs } from '../../app/jobs';
import { DataTable, type Column } from '../../components/DataTable';
import { ExportButtons } from '../../components/ExportButtons';
import { count, percent, plural, usd } from '../../format/units';

const columns: Column<ModelAccuracy>[] = [
  { key: 'model', header: 'Model', value: (m) => m.model, render: (m) => m.model },
  {
    key: 'accuracy',
    header: 'Accuracy',
    numeric: true,
    value: (m) => m.accuracy,
    render: (m) => (
      <span className="bar-cell">
        <span className="bar-track" aria-hidden="true">
          <span className="bar" style={{ width: `${Math.round((m.accuracy ?? 0) * 100)}%` }} />
        </span>
        <span>{percent(m.accuracy)}</span>
      </span>
    ),
  },
  { key: 'cost', header: 'Mean cost / query', numeric: true, value: (m) => m.meanCost, render: (m) => usd(m.meanCost) },
  { key: 'labelled', header: 'Labelled queries', numeric: true, value: (m) => m.labelled, render: (m) => count(m.labelled) },
];

/** One dataset: its size and, per model, accuracy and mean cost; deletable after a confirmation. */
export function DatasetCard({ dataset }: { dataset: DatasetSummary }) {
  const client = useClient();
  const { bump } = useJobs();
  const [confirming, setConfirming] = useState(false);
  const best = dataset.models.reduce<ModelAccuracy | null>((b, m) => (m.accuracy != null && (b?.accuracy == null || m.accuracy > b.accuracy) ? m : b), null);
  return (
    <article className="panel dataset" data-testid="dataset" aria-labelledby={`ds-${dataset.id}`}>
      <header className="panel-head">
        <div>
          <h3 id={`ds-${dataset.id}`}>{dataset.name}</h3>
          <p className="muted small">
            {plural(dataset.queries, 'query', 'queries')} · {plural(dataset.models.length, 'model')} · {dataset.format} · {dataset.source.split(/[\\/]/).pop()} · {new Date(dataset.createdAt).toLocaleString()}
            {best && ` · best single model ${best.model} (${percent(best.accuracy)})`}
          </p>
        </div>
        <div className="panel-actions">
          <ExportButtons name={`dataset-${dataset.name}`} csv={() => ({ header: ['model', 'accuracy', 'mean_cost_usd', 'labelled'], rows: dataset.models.map((m) => [m.model, m.accuracy, m.meanCost, m.labelled]) })} />
          {confirming ? (
            <>
              <button
                className="danger small"
                onClick={async () => {
                  await client.call('datasets.delete', { id: dataset.id });
                  bump();
                }}
              >
                Delete {dataset.name}
              </button>
              <button className="ghost small" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button className="ghost small" onClick={() => setConfirming(true)}>
              Delete…
            </button>
          )}
        </div>
      </header>
      <DataTable rows={dataset.models} columns={columns} rowKey={(m) => m.model} initialSort={{ key: 'accuracy', desc: true }} testId="dataset-models" caption={`Per-model accuracy and cost in ${dataset.name}`} />
    </article>
  );
}
