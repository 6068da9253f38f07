/**
 * The default name of a dataset uploaded as several files. The engine names it after the files'
 * folder when they share no prefix (the CLI's `routerbench/*_train.csv` → "routerbench-train"),
 * but a browser upload has no folder the user chose, so the page names it from the files:
 * arc_challenge_train + mbpp_train + winogrande_train → "arc_challenge+mbpp+winogrande-train".
 */
export function uploadedDatasetName(fileNames: string[]): string | null {
  if (fileNames.length < 2) return null;
  const stems = fileNames.map((f) => f.replace(/\.[^.]*$/, ''));
  const trim = (s: string) => s.replace(/^[\s_.-]+|[\s_.-]+$/g, '');
  let p = 0;
  while (stems.every((s) => s[p] !== undefined && s[p] === stems[0][p])) p++;
  const prefix = trim(stems[0].slice(0, p));
  if (prefix.length >= 3) return prefix;
  let q = 0;
  while (stems.every((s) => q < s.length && s[s.length - 1 - q] === stems[0][stems[0].length - 1 - q])) q++;
  const suffix = trim(stems[0].slice(stems[0].length - q));
  const heads = stems.map((s) => trim(s.slice(0, s.length - q)) || s);
  return suffix ? `${heads.join('+')}-${suffix}` : heads.join('+');
}
