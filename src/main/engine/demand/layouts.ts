import { fileError } from '../../../shared/errors';

// The trace layouts an import accepts, by their column names (matched case-insensitively).

export const demandFormats = ['azure', 'burstgpt', 'mooncake', 'generic'] as const;
export type DemandFormat = (typeof demandFormats)[number];
export type DemandField = 'timestamp' | 'input' | 'output' | 'model' | 'task' | 'tenant';

/** Column names the generic layout recognises for each field (first match wins). */
export const genericColumns: Record<DemandField, readonly string[]> = {
  timestamp: ['timestamp', 'time', 'ts', 'arrival_time', 'arrival', 'created_at', 'start_time', 'timestamp_ms', 'time_ms'],
  input: ['input_tokens', 'input_length', 'prompt_tokens', 'context_tokens', 'contexttokens', 'request tokens', 'request_tokens', 'num_prefill_tokens', 'input'],
  output: ['output_tokens', 'output_length', 'completion_tokens', 'generated_tokens', 'generatedtokens', 'response tokens', 'response_tokens', 'num_decode_tokens', 'output'],
  model: ['model', 'model_name'],
  task: ['task', 'log type', 'log_type', 'service', 'workload'],
  tenant: ['tenant', 'tenant_id', 'user', 'user_id', 'customer'],
};

export const acceptedLayouts =
  'azure (TIMESTAMP, ContextTokens, GeneratedTokens), burstgpt (Timestamp, Model, Request tokens, Response tokens, Total tokens, Log Type[, Session ID, Elapsed time]), ' +
  'mooncake JSONL (timestamp in ms, input_length, output_length, hash_ids), or generic CSV/JSONL/Parquet with a timestamp column (' +
  genericColumns.timestamp.join('|') + '), input tokens (' + genericColumns.input.join('|') + ') and output tokens (' + genericColumns.output.join('|') +
  '), optionally model, task, tenant; name other columns with --map timestamp=COL,input=COL,output=COL';

export interface Layout {
  format: DemandFormat;
  /** Column index per field (-1 absent), and the column's name as the file spells it. */
  index: Record<DemandField, number>;
  names: Partial<Record<DemandField, string>>;
  /** Unit of numeric timestamps when the layout fixes it (else seconds, or epoch ms by magnitude). */
  unit?: 's' | 'ms';
}

const has = (lower: string[], names: string[]) => names.every((n) => lower.includes(n));

function detect(lower: string[]): DemandFormat | null {
  if (has(lower, ['timestamp', 'contexttokens', 'generatedtokens'])) return 'azure';
  if (has(lower, ['timestamp', 'model', 'request tokens', 'response tokens'])) return 'burstgpt';
  if (has(lower, ['timestamp', 'input_length', 'output_length', 'hash_ids'])) return 'mooncake';
  return null;
}

const fixed: Record<Exclude<DemandFormat, 'generic'>, { fields: Partial<Record<DemandField, string>>; unit?: 's' | 'ms' }> = {
  azure: { fields: { timestamp: 'timestamp', input: 'contexttokens', output: 'generatedtokens' } },
  // BurstGPT: seconds from the trace's start; Log Type (conversation or API log) kept as the task.
  burstgpt: { fields: { timestamp: 'timestamp', input: 'request tokens', output: 'response tokens', model: 'model', task: 'log type' }, unit: 's' },
  mooncake: { fields: { timestamp: 'timestamp', input: 'input_length', output: 'output_length' }, unit: 'ms' },
};

/**
 * The layout of a file from its header: `format` (default auto) and optional `map` of field ->
 * column name, which overrides a generic file's columns.
 */
export function resolveLayout(file: string, header: string[], format: DemandFormat | 'auto', map: Partial<Record<DemandField, string>> = {}): Layout {
  const lower = header.map((h) => h.trim().toLowerCase());
  const detected = detect(lower);
  const chosen = format === 'auto' ? (Object.keys(map).length ? 'generic' : detected ?? 'generic') : format;
  const index = { timestamp: -1, input: -1, output: -1, model: -1, task: -1, tenant: -1 } as Record<DemandField, number>;
  const names: Partial<Record<DemandField, string>> = {};
  const set = (field: DemandField, column: string | undefined, required: boolean) => {
    const i = column === undefined ? -1 : lower.indexOf(column.trim().toLowerCase());
    if (i === -1 && required) {
      const what = column === undefined ? `a ${field} column` : `the column "${column}" for ${field}`;
      throw fileError(file, 1, column ?? field, `${chosen === 'generic' ? '' : `not the ${chosen} layout: `}the header (${header.slice(0, 8).join(', ')}${header.length > 8 ? ', ...' : ''}) has no ${what}; accepted layouts: ${acceptedLayouts}`, { header, format: chosen });
    }
    if (i !== -1) {
      index[field] = i;
      names[field] = header[i];
    }
  };
  if (chosen !== 'generic') {
    const f = fixed[chosen];
    for (const field of Object.keys(index) as DemandField[]) set(field, f.fields[field], field === 'timestamp' || field === 'input' || field === 'output');
    return { format: chosen, index, names, unit: f.unit };
  }
  for (const field of Object.keys(index) as DemandField[]) {
    const required = field === 'timestamp' || field === 'input' || field === 'output';
    const column = map[field] ?? genericColumns[field].find((n) => lower.includes(n));
    set(field, column, required);
  }
  return { format: 'generic', index, names, unit: /_ms$/i.test(names.timestamp ?? '') ? 'ms' : undefined };
}
