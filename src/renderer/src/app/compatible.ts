import type { CatalogEntry, DatasetSummary } from '../../../shared/contract';

// Which stored records a selector may offer, with the reason a person sees for the others. The
// rules are the engine's own refusals, checked before the call instead of after it:
//   evaluation  — evaluation/sweep-task.ts alignModels: test data has the predictor's models, in order
//   policy      — handlers/policy.ts selectModels: the traffic has every model of the predictor
//   capacity    — allocation/workspace-form.ts: some model of the dataset is in the catalog

/** null when compatible; otherwise why not, in a few words. */
export type Compatibility<T> = (record: T) => string | null;

const names = (d: DatasetSummary) => d.models.map((m) => m.model);

function missingText(missing: string[]): string {
  const shown = missing.slice(0, 2).map((m) => m.split('/').pop()).join(', ');
  return missing.length > 2 ? `${shown} and ${missing.length - 2} more` : shown;
}

/** Test data for an evaluation: exactly the predictor's models in the same order. */
export function sameModels(predictorModels: string[] | undefined): Compatibility<DatasetSummary> {
  return (d) => {
    if (!predictorModels) return null;
    const own = names(d);
    if (own.length === predictorModels.length && own.every((m, j) => m === predictorModels[j])) return null;
    const missing = predictorModels.filter((m) => !own.includes(m));
    if (missing.length) return `lacks the predictor's ${missingText(missing)}`;
    const extra = own.filter((m) => !predictorModels.includes(m));
    if (extra.length) return `has models the predictor does not know (${missingText(extra)})`;
    return 'its models are in another order than the predictor’s';
  };
}

/** Traffic for a policy: every model of the predictor (more is fine). */
export function coversModels(predictorModels: string[] | undefined): Compatibility<DatasetSummary> {
  return (d) => {
    if (!predictorModels) return null;
    const own = new Set(names(d));
    const missing = predictorModels.filter((m) => !own.has(m));
    return missing.length ? `lacks the predictor's ${missingText(missing)}` : null;
  };
}

/** Traffic mix for capacity planning: at least one of its models is in the model catalog. */
export function inCatalog(catalog: CatalogEntry[] | undefined): Compatibility<DatasetSummary> {
  return (d) => {
    if (!catalog) return null;
    if (catalog.length === 0) return 'the model catalog is empty';
    const known = new Set(catalog.map((c) => c.model));
    return names(d).some((m) => known.has(m)) ? null : 'none of its models is in the model catalog';
  };
}

/**
 * The choice a selector shows: the remembered one while it is still there and compatible, else
 * the most recent compatible record (highest id), else null.
 */
export function pickCompatible<T extends { id: number }>(records: T[] | undefined, remembered: number | null | undefined, ok: Compatibility<T>): number | null {
  if (!records) return remembered ?? null;
  const usable = records.filter((r) => ok(r) == null);
  if (remembered != null && usable.some((r) => r.id === remembered)) return remembered;
  return usable.length ? Math.max(...usable.map((r) => r.id)) : null;
}
