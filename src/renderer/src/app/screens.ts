export const screens = ['Data', 'Predictor', 'Routing', 'Capacity', 'Policies', 'Plans'] as const;
export type Screen = (typeof screens)[number];

export function screenFromHash(hash: string): Screen {
  const name = decodeURIComponent(hash.replace(/^#\/?/, ''));
  return (screens as readonly string[]).find((s) => s.toLowerCase() === name.toLowerCase()) as Screen | undefined ?? 'Data';
}
