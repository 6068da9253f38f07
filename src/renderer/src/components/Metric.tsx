import type React from 'react';
import { InfoTip } from './InfoTip';

/** A headline figure with its label, an optional comparison line and what the figure means. */
export function Metric({ label, value, sub, testId, help }: { label: string; value: string; sub?: React.ReactNode; testId?: string; help?: string }) {
  return (
    <div className="metric" data-testid={testId}>
      <div className="label" title={help}>
        {label}
        {help && <InfoTip text={help} label={label} />}
      </div>
      <div className="value">{value}</div>
      {sub && <div className="small muted">{sub}</div>}
    </div>
  );
}
