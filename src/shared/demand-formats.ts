// The demand import layouts and fields by name, apart from their zod schema, so that the CLI can
// offer them as choices without loading zod at start (see bench/cli-start.ts).
export const demandImportFormats = ['auto', 'azure', 'burstgpt', 'mooncake', 'generic'] as const;
export const demandFields = ['timestamp', 'input', 'output', 'model', 'task', 'tenant'] as const;
