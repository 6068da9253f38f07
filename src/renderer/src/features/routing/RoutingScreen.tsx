import { useEffect } from 'react';
import { useCall } from '../../app/use-call';
import { useSticky } from '../../app/sticky';
import { ErrorNotice } from '../../components/ErrorNotice';
import { EmptyState, Loading, Panel } from '../../components/States';
import { FrontierPanel } from './FrontierPanel';
import { RecordSelect } from '../../components/RecordSelect';
import { EvaluationForm } from './EvaluationForm';

export function RoutingScreen() {
  const list = useCall('evaluation.list', {});
  const [selected, setSelected] = useSticky<number | null>('routing.selected', null);
  const newest = list.data?.length ? Math.max(...list.data.map((e) => e.id)) : null;
  // A finished run shows at once: follow the newest evaluation unless the user picked another.
  const [followNewest, setFollowNewest] = useSticky('routing.followNewest', true);
  useEffect(() => {
    if (newest != null && (followNewest || selected == null)) setSelected(newest);
  }, [newest, followNewest, selected, setSelected]);
  const evaluation = useCall('evaluation.get', { id: selected ?? 1 }, selected != null);

  return (
    <div className="screen-body">
      <EvaluationForm
        onDone={(id) => {
          setFollowNewest(true);
          if (id != null) setSelected(id);
        }}
      />
      <Panel
        title="Evaluations"
        id="evaluations"
        actions={
          list.data && list.data.length > 0 ? (
            <RecordSelect
              records={list.data}
              value={selected}
              onChange={(id) => {
                setFollowNewest(false);
                setSelected(id);
              }}
              label="Evaluation"
              testId="evaluation-select"
              describe={(e) => `${new Date(e.createdAt).toLocaleString()} · batch ${e.settings.batchSize}, ${e.settings.batching}`}
            />
          ) : undefined
        }
      >
        {list.error && <ErrorNotice error={list.error} />}
        {!list.data && !list.error && <Loading what="evaluations" />}
        {list.data?.length === 0 && <EmptyState title="No evaluations yet">Run an evaluation above: every strategy and every single model, swept over budgets on a test dataset.</EmptyState>}
        {evaluation.error && <ErrorNotice error={evaluation.error} />}
      </Panel>
      {evaluation.data && selected != null && <FrontierPanel key={selected} evaluation={evaluation.data} />}
    </div>
  );
}
