// The import layouts by name, apart from their zod schema, so that the CLI can offer them as
// choices without loading zod at start (see bench/cli-start.ts).
export const importFormatNames = ['auto', 'wide-csv', 'long-csv', 'json', 'pairwise', 'catalog', 'inventory'] as const;
