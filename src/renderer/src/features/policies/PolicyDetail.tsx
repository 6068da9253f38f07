import { useState } from 'react';
import type { PolicySummary, PreviewDecision } from '../../../../shared/contract/policy';
import { ApiError } from '../../api/client';
import { useClient } from '../../app/context';
import { useSticky } from '../../app/sticky';
import { useCall } from '../../app/use-call';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Panel } from '../../components/States';
import { bytes, decimal, percent, plural, usd } from '../../format/units';
import { policyStrategyTerms } from '../../format/glossary';

const sampleQueries = [
  'What is the capital of Australia?',
  'Write a Python function that returns the n-th Fibonacci number using memoisation.',
  'The trophy does not fit into the brown suitcase because it is too large. What is too large?',
  'Prove that the square root of 2 is irrational.',
].join('\n');

const decisionColumns: Column<PreviewDecision & { i: number }>[] = [
  { key: 'text', header: 'Query', render: (d) => <span className="clip" title={d.text}>{d.text}</span> },
  { key: 'model', header: 'Routed to', value: (d) => d.model, render: (d) => <strong>{d.model}</strong> },
  { key: 'p', header: 'P(success)', numeric: true, value: (d) => d.probability, render: (d) => percent(d.probability) },
  { key: 'cost', header: 'Est. cost', numeric: true, value: (d) => d.estimatedCost, render: (d) => usd(d.estimatedCost) },
];

/** One policy: its summary, a preview of decisions on sample queries, and every export format. */
export function PolicyDetail({ policy }: { policy: PolicySummary }) {
  const client = useClient();
  const formats = useCall('policy.formats', {});
  const [queries, setQueries] = useSticky('policy.preview', sampleQueries);
  const [decisions, setDecisions] = useState<PreviewDecision[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [mapping, setMapping] = useSticky('policy.deployment', '');
  // What runs now (a preview or an export), so the screen says so instead of sitting still.
  const [busy, setBusy] = useState<string | null>(null);

  const preview = async () => {
    setError(null);
    const lines = queries.split('\n').map((q) => q.trim()).filter(Boolean).slice(0, 500);
    if (lines.length === 0) return;
    setBusy(`Routing ${plural(lines.length, 'sample query', 'sample queries')}…`);
    try {
      setDecisions(await client.call('policy.preview', { id: policy.id, queries: lines.map((text) => ({ text })) }));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(null);
    }
  };
  const exportAs = async (format: string) => {
    setError(null);
    setSaved(null);
    setBusy(`Exporting ${formats.data?.find((f) => f.format === format)?.title ?? format}…`);
    try {
      const r = await client.call('policy.render', { id: policy.id, format: format as never, ...(mapping.trim() ? { deploymentYaml: mapping } : {}) });
      const where = await client.saveExport(r.file, r.text, 'utf8', r.file.endsWith('.json') ? 'application/json' : 'application/yaml');
      if (where) setSaved(`${r.file} saved`);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="policy-detail">
      <p className="muted small">
        <span title={policyStrategyTerms[policy.strategy as keyof typeof policyStrategyTerms]?.help}>{policyStrategyTerms[policy.strategy as keyof typeof policyStrategyTerms]?.label ?? policy.strategy}</span> strategy · budget {percent(policy.budgetFraction, 0)} · λ = {decimal(policy.lambda, 4)} · {plural(policy.models.length, 'model')} · format v{policy.formatVersion} · {bytes(policy.bytes)} · hash <code>{policy.contentHash.slice(0, 12)}</code>
      </p>
      <div className="two-col">
        <Panel title="Preview decisions" id="preview">
          <label>
            <span className="small muted">Sample queries, one per line</span>
            <textarea rows={5} value={queries} onChange={(e) => setQueries(e.target.value)} data-testid="preview-queries" />
          </label>
          <div className="row" style={{ marginTop: 8 }}>
            <button onClick={() => void preview()} disabled={busy != null}>
              Preview routing
            </button>
          </div>
          {decisions && <DataTable rows={decisions.map((d, i) => ({ ...d, i }))} columns={decisionColumns} rowKey={(d) => d.i} testId="preview-table" />}
        </Panel>
        <Panel title="Export" id="export">
          <p className="small muted">The policy file and a config for each gateway, generated from the same policy.</p>
          <label>
            <span className="small muted">
              Deployment mapping (YAML): provider, endpoint, key and price per model. OpenAI and Claude models and the catalog&apos;s GPU models have defaults; see docs/policies.md
            </span>
            <textarea rows={4} value={mapping} onChange={(e) => setMapping(e.target.value)} placeholder={'format: routeplan.deployment\nversion: 1\nmodels:\n  meta/llama-2-70b-chat: { provider: vllm, endpoint: http://llama.models:8000/v1, auth: none, priceInPerM: 0.9, priceOutPerM: 0.9 }'} data-testid="deployment-mapping" spellCheck={false} />
          </label>
          <ul className="format-list">
            {formats.data?.map((f) => (
              <li key={f.format}>
                <button onClick={() => void exportAs(f.format)} data-testid={`export-${f.format}`} disabled={busy != null}>
                  {f.title}
                </button>{' '}
                <code className="small muted">{f.file}</code>
              </li>
            ))}
          </ul>
          {saved && (
            <p className="notice ok small" role="status" data-testid="export-status">
              {saved}
            </p>
          )}
        </Panel>
      </div>
      {busy && (
        <div className="inline-job" role="status" data-testid="policy-busy">
          <span>{busy}</span>
          <div className="progress indeterminate" aria-label={busy} role="progressbar">
            <div className="progress-fill" />
          </div>
          <span />
        </div>
      )}
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
    </div>
  );
}
