import { useClient } from '../../app/context';
import { useJobs } from '../../app/jobs';
import { useCall } from '../../app/use-call';
import { ErrorNotice } from '../../components/ErrorNotice';
import { EmptyState, Loading, Panel } from '../../components/States';
import { RecordSelect, useNewestSelection } from '../../components/RecordSelect';
import { PolicyDetail } from './PolicyDetail';
import { PolicyForm } from './PolicyForm';

export function PoliciesScreen() {
  const client = useClient();
  const { bump } = useJobs();
  const list = useCall('policy.list', {});
  const [selected, setSelected] = useNewestSelection('policy.selected', list.data);
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
              <RecordSelect records={list.data} value={selected} onChange={setSelected} label="Policy" testId="policy-select" describe={(p) => `${p.name} · ${new Date(p.createdAt).toLocaleString()}`} />
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
