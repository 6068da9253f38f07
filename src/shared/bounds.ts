// Limits on user-given quantities, one table for every door: the file importers, the CLI and the
// API (contract) apply the same bounds, so a value refused by one is refused by all.
export const bounds = {
  /** GPUs of one type in an inventory (contract: workspace.inventory). */
  gpuCount: 1_000_000,
  /** USD per GPU-hour. */
  hourlyPrice: 10_000,
  /** GB of memory per GPU. */
  memoryGb: 10_000,
  /** USD per 1M tokens (catalog prices). */
  pricePerM: 100_000,
  /** GPUs per instance, slots per instance. */
  perInstance: 1_000_000,
  /** Tokens per second, queries per second. */
  rate: 1e9,
  /** Tokens of one query (input or output). */
  tokens: 1e9,
  /** Realised USD cost of one query. */
  queryCost: 1e6,
  /** UTF-16 code units of one record (a CSV row, a JSON object or line, a Parquet cell; perf import's records too). */
  recordChars: 16 << 20,
  /** Characters of a deployment's model, GPU, precision or engine name in a benchmark file (as the contract's names). */
  nameChars: 200,
} as const;

/** Names that cannot be map keys in JavaScript objects or JSON schemas' records without meaning something else. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__']);
