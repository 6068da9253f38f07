import { useEffect } from 'react';
import { useClient } from '../../app/context';
import { useJobs } from '../../app/jobs';
import { useSticky } from '../../app/sticky';
import { useCall } from '../../app/use-call';
import { ErrorNotice } from '../../components/ErrorNotice';
import { EmptyState, Loading, Panel } from '../../components/States';
import { PolicyDetail } from './PolicyDetail';
import { PolicyForm } from './PolicyForm';

export function PoliciesScreen() {
  const client = useClient();
  const { bump } = useJobs();
  const list = useCall('policy.list', {});
  const [selected, setSelected] = useSticky<number | null>('policy.selected', null);
  useEffect(() => {
    if (list.data?.length && (selected == null || !list.data.some((p) => p.id === selected))) setSelected(Math.max(...list.data.map((p) => p.id)));
  }, [list.data, selected, setSelected]);
  const policy = list.data?.find((p) => p.id === selected);
  return (
    <div className="screen-body">
      <PolicyForm onCreated={setSelected} />
      <Panel
        title="Policies"
        id="policies"
        actions={
          list.data && list.data.length > 0 ? (
            <>
              <select value={selected ?? ''} onChange={(e) => setSelected(Number(e.target.value))} aria-label="Policy" data-testid="policy-select">
                {[...list.data].sort((a, b) => b.id - a.id).map((p) => (
                  <option key={p.id} value={p.id}>
                    #{p.id} {p.name} · {new Date(p.createdAt).toLocaleString()}
                  </option>
                ))}
              </select>
              {policy && (
                <button
                  className="ghost small"
                  onClick={async () => {
                    await client.call('policy.delete', { id: policy.id });
                    bump();
                  }}
                >
                  Delete
                </button>
              )}
            </>
          ) : undefined
        }
      >
        {list.error && <ErrorNotice error={list.error} />}
        {!list.data && !list.error && <Loading what="policies" />}
        {list.data?.length === 0 && <EmptyState title="No policies yet">Create one above from a trained predictor, a strategy and a budget; then preview its decisions and export it for your gateway.</EmptyState>}
        {policy && <PolicyDetail key={policy.id} policy={policy} />}
      </Panel>
    </div>
  );
}
