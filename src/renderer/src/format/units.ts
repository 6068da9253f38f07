// Numbers as people read them, always with their unit. Missing values print as an em dash.
const dash = '—';
const ok = (x: number | null | undefined): x is number => x != null && Number.isFinite(x);

export function count(x: number | null | undefined): string {
  return ok(x) ? Math.round(x).toLocaleString('en-US') : dash;
}

/** A fraction in [0,1] as a percentage. */
export function percent(x: number | null | undefined, digits = 1): string {
  return ok(x) ? `${(x * 100).toFixed(digits)} %` : dash;
}

/** US dollars with enough significant digits for per-query costs (fractions of a cent). */
export function usd(x: number | null | undefined): string {
  if (!ok(x)) return dash;
  const a = Math.abs(x);
  if (a === 0) return '$0';
  if (a >= 1000) return `$${x.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  if (a >= 0.1) return `$${x.toFixed(2)}`;
  return `$${x.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
}

export function usdPerHour(x: number | null | undefined): string {
  return ok(x) ? `${usd(x)}/h` : dash;
}

export function usdPerMillionTokens(x: number | null | undefined): string {
  return ok(x) ? `${usd(x)}/1M tok` : dash;
}

export function queriesPerSecond(x: number | null | undefined): string {
  if (!ok(x)) return dash;
  return `${x >= 100 ? count(x) : x.toFixed(x >= 10 ? 1 : 2)} queries/s`;
}

export function tokensPerSecond(x: number | null | undefined): string {
  return ok(x) ? `${count(x)} tok/s` : dash;
}

export function duration(ms: number | null | undefined): string {
  if (!ok(ms)) return dash;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function decimal(x: number | null | undefined, digits = 3): string {
  return ok(x) ? x.toFixed(digits) : dash;
}

/** Shortens file paths inside a message to their file names (temporary upload folders mean nothing to a user). */
export function shortenPaths(message: string): string {
  return message.replace(/(?:[A-Za-z]:)?(?:[\\/][^\s\\/,:"]+)+[\\/]([^\s\\/,:"]+)/g, '$1');
}

export function bytes(n: number | null | undefined): string {
  if (!ok(n)) return dash;
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** "1 dataset", "3 datasets": a count with its noun in the right number. */
export function plural(n: number | null | undefined, one: string, many = `${one}s`): string {
  return ok(n) ? `${count(n)} ${Math.round(n) === 1 ? one : many}` : `${dash} ${many}`;
}

/** Hours in an average month (8,760 / 12): what "per month" means on every screen. */
export const hoursPerMonth = 730;

/** An hourly cost as a monthly one, labelled. */
export function usdPerMonth(hourly: number | null | undefined): string {
  return ok(hourly) ? `${usd(hourly * hoursPerMonth)}/month` : dash;
}
