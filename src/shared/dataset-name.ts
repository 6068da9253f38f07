// How a dataset imported from several files is named, shared by the engine (which can also use
// the files' folder) and the page (a browser upload has no folder the user chose).

const trim = (s: string) => s.replace(/^[\s_.-]+|[\s_.-]+$/g, '');

/**
 * What several file names (without extensions) share: a common prefix of at least 3 characters,
 * else a common suffix and each name without it (arc_challenge_train, mbpp_train → suffix
 * "train", heads arc_challenge and mbpp).
 */
export function sharedNameParts(stems: string[]): { prefix: string | null; suffix: string; heads: string[] } {
  let p = 0;
  while (stems.every((s) => s[p] !== undefined && s[p] === stems[0][p])) p++;
  const prefix = trim(stems[0].slice(0, p));
  if (prefix.length >= 3) return { prefix, suffix: '', heads: stems };
  let q = 0;
  while (stems.every((s) => q < s.length && s[s.length - 1 - q] === stems[0][stems[0].length - 1 - q])) q++;
  const suffix = trim(stems[0].slice(stems[0].length - q));
  return { prefix: null, suffix, heads: stems.map((s) => trim(s.slice(0, s.length - q)) || s) };
}
