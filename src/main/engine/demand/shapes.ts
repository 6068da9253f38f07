// Hour-of-week shapes for typed profiles (168 weights from Monday 00:00 UTC).
//
// 'diurnal' is a TYPICAL shape, not fitted to data: a daily cosine peaking at 14:00 UTC at three
// times its 02:00 trough, with Saturday and Sunday at 60% of a weekday. Public LLM traces show
// diurnal and weekly cycles of this kind, but the week-long ones that would pin it down (Azure's
// 2024 traces, BurstGPT) cannot be fetched here (../shared/data/traces/README.md); a planner with
// its own traffic should import it or pass its own --shape.

export const shapePresets = ['flat', 'diurnal'] as const;
export type ShapePreset = (typeof shapePresets)[number];

export function presetShape(name: ShapePreset): number[] {
  if (name === 'flat') return new Array(168).fill(1);
  const out: number[] = [];
  for (let day = 0; day < 7; day++) {
    const weekend = day >= 5 ? 0.6 : 1;
    for (let h = 0; h < 24; h++) out.push(weekend * (1 + 0.5 * Math.cos((2 * Math.PI * (h - 14)) / 24)));
  }
  return out;
}

/** 24 weights repeated for each day, or 168 as given; refuses anything else. */
export function weekShape(weights: number[]): number[] {
  if (weights.length === 168) return weights;
  if (weights.length === 24) return Array.from({ length: 168 }, (_, i) => weights[i % 24]);
  throw new RangeError(`a shape has 24 (one day) or 168 (one week) hourly weights, not ${weights.length}`);
}
