/** One fenced shell block of a Markdown file. */
export interface DocBlock {
  file: string;
  /** line of the opening fence */
  line: number;
  text: string;
  /** the reason given by `<!-- doc-test: skip (reason) -->` right before the block */
  skip?: string;
}

const fence = /^```(sh|bash|shell)\s*$/;

/** The ```sh / ```bash blocks of a Markdown text, with any skip marker on the line before. */
export function docBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const out: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!fence.test(lines[i])) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    const before = lines.slice(0, i).reverse().find((l) => l.trim() !== '') ?? '';
    const skip = /^<!-- doc-test: skip \((.+)\) -->$/.exec(before.trim())?.[1];
    out.push({ file, line: i + 1, text: lines.slice(i + 1, end).join('\n'), ...(skip ? { skip } : {}) });
    i = end;
  }
  return out;
}

/**
 * The only changes the doc test makes to a block: the shared data folder as an absolute path (the
 * block runs in a folder of its own), and heavy lines bounded, each named here.
 */
export const substitutions: { pattern: RegExp; replace: (dataDir: string) => string; why: string }[] = [
  { pattern: /\.\.\/shared\/data\//g, replace: (dataDir) => `${dataDir}/`, why: 'the data path, from the block\'s own folder' },
  { pattern: /(routeplan train --workspace \$W --dataset 1 --seed 1) --json/g, replace: () => '$1 --featurizer builtin --ensemble 2 --json', why: 'the 20-member hybrid training takes minutes of CPU; the doc test trains 2 members on the n-grams' },
];

export function substitute(text: string, dataDir: string): string {
  return substitutions.reduce((t, s) => t.replace(s.pattern, s.replace(dataDir)), text);
}
