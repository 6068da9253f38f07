import { sharedNameParts } from '../../../../shared/dataset-name';

/**
 * The default name of a dataset uploaded as several files. The engine names it after the files'
 * folder when they share no prefix (the CLI's `routerbench/*_train.csv` → "routerbench-train"),
 * but a browser upload has no folder the user chose, so the page names it from the files:
 * arc_challenge_train + mbpp_train + winogrande_train → "arc_challenge+mbpp+winogrande-train".
 */
export function uploadedDatasetName(fileNames: string[]): string | null {
  if (fileNames.length < 2) return null;
  const { prefix, suffix, heads } = sharedNameParts(fileNames.map((f) => f.replace(/\.[^.]*$/, '')));
  if (prefix) return prefix;
  return suffix ? `${heads.join('+')}-${suffix}` : heads.join('+');
}
