import { createContext, useContext, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'routeplan.theme';

/** The chosen theme, applied to <html data-theme>; 'system' follows the OS. */
export function useTheme(): [ThemeChoice, (t: ThemeChoice) => void, 'light' | 'dark'] {
  const [choice, setChoice] = useState<ThemeChoice>(() => (localStorage.getItem(KEY) as ThemeChoice) || 'system');
  const [systemDark, setSystemDark] = useState(() => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false);
  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    const on = (e: MediaQueryListEvent) => setSystemDark(e.matches);
    mq?.addEventListener('change', on);
    return () => mq?.removeEventListener('change', on);
  }, []);
  const effective = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
  useEffect(() => {
    document.documentElement.dataset.theme = effective;
    localStorage.setItem(KEY, choice);
  }, [choice, effective]);
  return [choice, setChoice, effective];
}

/** The theme in effect, for components that draw their own colours (charts). */
export const ThemeContext = createContext<'light' | 'dark'>('light');
export const useEffectiveTheme = () => useContext(ThemeContext);
