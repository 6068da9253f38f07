import { useCallback, useState } from 'react';

// Screen state that should outlive the screen (forms, the job a screen is following): screens
// unmount on navigation, this store does not.
const store = new Map<string, unknown>();

// Form choices remembered in the workspace itself (settings.get / settings.set), so that a restart
// or another machine opens the workspace with the last choices rather than the defaults.
let remembered: Record<string, unknown> = {};
let writeThrough: ((key: string, value: unknown) => void) | null = null;
const pending = new Map<string, ReturnType<typeof setTimeout>>();

export function useSticky<T>(key: string, initial: T): [T, (update: T | ((prev: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => (store.has(key) ? (store.get(key) as T) : initial));
  const set = useCallback(
    (update: T | ((prev: T) => T)) =>
      setValue((prev) => {
        const next = typeof update === 'function' ? (update as (p: T) => T)(prev) : update;
        store.set(key, next);
        return next;
      }),
    [key],
  );
  return [value, set];
}

/**
 * Like useSticky, and also kept in the workspace: the first value comes from what the workspace
 * remembers (merged over `initial`, so a field added later has its default), and every change is
 * written back (debounced). Ids in it may be stale: the selectors check them (app/compatible.ts).
 */
export function useRemembered<T extends object>(key: string, initial: T): [T, (update: T | ((prev: T) => T)) => void] {
  const stored = remembered[key];
  const start = stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...initial, ...(stored as Partial<T>) } : initial;
  const [value, setSticky] = useSticky<T>(key, start);
  const set = useCallback(
    (update: T | ((prev: T) => T)) =>
      setSticky((prev) => {
        const next = typeof update === 'function' ? (update as (p: T) => T)(prev) : update;
        remembered[key] = next;
        clearTimeout(pending.get(key));
        pending.set(
          key,
          setTimeout(() => {
            pending.delete(key);
            writeThrough?.(key, next);
          }, 400),
        );
        return next;
      }),
    [key, setSticky],
  );
  return [value, set];
}

/** What the open workspace remembers, and how to write to it; called once per workspace. */
export function loadRemembered(values: Record<string, unknown>, write: (key: string, value: unknown) => void): void {
  remembered = { ...values };
  writeThrough = write;
}

/** Forgets every screen's state (another workspace: its records and plans mean nothing here). */
export function clearSticky(): void {
  store.clear();
  for (const t of pending.values()) clearTimeout(t);
  pending.clear();
  remembered = {};
}
