import { useCallback, useState } from 'react';

// Screen state that should outlive the screen (forms, the job a screen is following): screens
// unmount on navigation, this store does not.
const store = new Map<string, unknown>();

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

/** Forgets every screen's state (another workspace: its records and plans mean nothing here). */
export function clearSticky(): void {
  store.clear();
}
