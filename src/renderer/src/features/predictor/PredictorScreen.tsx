import { useMemo, useRef } from 'react';
import type { ModelQuality, TrainResult } from '../../../../shared/contract/predictor';
import { useClient } from '../../app/context';
import { useJobs } from '../../app/jobs';
import { useCall } from '../../app/use-call';
import { Plot, type PlotHandle } from '../../charts/Plot';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ExportButtons } from '../../components/ExportButtons';
import { EmptyState, Loading, Panel } from '../../components/States';
import { Metric } from '../../components/Metric';
import { RecordSelect, useNewestSelection } from '../../components/RecordSelect';
import { count, decimal, duration } from '../../format/units';
import { historyLayout, historyTraces, reliabilityLayout, reliabilityTraces } from './reliability';
import { TrainPanel } from './TrainPanel';

const modelColumns: Column<ModelQuality>[] = [
  { key: 'model', header: 'Model', value: (m) => m.model, render: (m) => m.model },
  { key: 'before', header: 'AUC before', numeric: true, value: (m) => m.aucBefore, render: (m) => decimal(m.aucBefore) },
  { key: 'after', header: 'AUC after', numeric: true, value: (m) => m.aucAfter, render: (m) => decimal(m.aucAfter) },
  { key: 't', header: 'Temperature', numeric: true, value: (m) => m.temperature, render: (m) => decimal(m.temperature, 2) },
];

export function PredictorScreen() {
  const list = useCall('predictor.list', {});
  const [selected, setSelected] = useNewestSelection('predictor.selected', list.data);
  const detail = useCall('predictor.get', { id: selected ?? 1 }, selected != null);
  return (
    <div className="screen-body">
      <TrainPanel onTrained={setSelected} />
      <Panel
        title="Predictors"
        id="predictors"
        actions={
          list.data && list.data.length > 0 ? (
            <RecordSelect records={list.data} value={selected} onChange={setSelected} label="Predictor" testId="predictor-select" describe={(p) => `${p.name} · ${p.estimator} × ${p.ensemble} · AUC ${decimal(p.testAuc)}`} />
          ) : undefined
        }
      >
        {list.error && <ErrorNotice error={list.error} />}
        {!list.data && !list.error && <Loading what="predictors" />}
        {list.data?.length === 0 && <EmptyState title="No predictors yet">Train one above: it learns from the dataset which model answers which query, then calibrates its probabilities.</EmptyState>}
        {detail.error && <ErrorNotice error={detail.error} />}
        {detail.data && <PredictorDetail predictor={detail.data} />}
      </Panel>
    </div>
  );
}

function PredictorDetail({ predictor }: { predictor: TrainResult }) {
  const client = useClient();
  const { bump } = useJobs();
  const m = predictor.metrics;
  const chart = useRef<PlotHandle | null>(null);
  const reliability = useMemo(() => reliabilityTraces(m.reliability.before, m.reliability.after), [m]);
  const curve = useMemo(() => historyTraces(m.history), [m]);
  const totalMs = Object.values(m.timings).reduce((a, b) => a + b, 0);
  return (
    <div data-testid="predictor-detail">
      <div className="metric-grid">
        <Metric label="Test AUC (calibrated)" value={decimal(m.after.auc)} sub={`before ${decimal(m.before.auc)}`} />
        <Metric label="Calibration error (ECE)" value={decimal(m.after.ece)} sub={`before ${decimal(m.before.ece)}`} />
        <Metric label="Brier score" value={decimal(m.after.brier)} sub={`before ${decimal(m.before.brier)}`} />
        <Metric label="Split (train / calib. / test)" value={`${count(m.split.train)} / ${count(m.split.calibration)} / ${count(m.split.test)}`} sub={`seed ${m.split.seed} · ${count(m.after.pairs)} test pairs`} />
        <Metric label="Model" value={`${predictor.estimator} × ${predictor.ensemble}`} sub={`${predictor.featurizer} features · trained in ${duration(totalMs)}`} />
      </div>
      <div className="two-col" style={{ marginTop: 16 }}>
        <Panel
          title="Reliability diagram"
          id="reliability"
          actions={
            <ExportButtons
              name={`reliability-${predictor.id}`}
              csv={() => ({ header: ['stage', 'lo', 'hi', 'count', 'mean_predicted', 'observed_rate'], rows: (['before', 'after'] as const).flatMap((s) => m.reliability[s].map((b) => [s, b.lo, b.hi, b.count, b.meanPredicted, b.observedRate])) })}
              image={(f) => chart.current!.toImage(f)}
            />
          }
        >
          <Plot data={reliability} layout={reliabilityLayout} handle={chart} label="Reliability diagram before and after calibration" testId="reliability-chart" />
        </Panel>
        <Panel
          title="Per-model AUC"
          id="per-model"
          actions={<ExportButtons name={`per-model-auc-${predictor.id}`} csv={() => ({ header: ['model', 'auc_before', 'auc_after', 'temperature'], rows: m.perModel.map((q) => [q.model, q.aucBefore, q.aucAfter, q.temperature]) })} />}
        >
          <DataTable rows={m.perModel} columns={modelColumns} rowKey={(q) => q.model} initialSort={{ key: 'after', desc: true }} testId="per-model-auc" />
        </Panel>
      </div>
      {m.history.length > 1 && (
        <Panel title="Training curve (first ensemble member)" id="curve">
          <Plot data={curve} layout={historyLayout} label="Training curve" height={260} />
        </Panel>
      )}
      <div className="row" style={{ marginTop: 10 }}>
        <button
          className="ghost small"
          onClick={async () => {
            await client.call('predictor.delete', { id: predictor.id });
            bump();
          }}
        >
          Delete predictor #{predictor.id}
        </button>
      </div>
    </div>
  );
}
