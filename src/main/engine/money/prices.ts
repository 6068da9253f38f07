import type { GpuPricing } from '../../../shared/contract/planning';

// Price tiers per GPU type. The factors below are ASSUMPTIONS, not facts: typical public-cloud
// ratios at the time of writing (1-year commitments near 0.6x on-demand, 3-year near 0.45x, spot
// near 0.35x with a few interruptions a day). Every plan carries the pricing it used, and a user
// sets their own per GPU type (plan settings / the plan file's `pricing`).

export const HOURS_PER_MONTH = 730;

export const DEFAULT_TIER_FACTORS = {
  reserved1y: 0.6,
  reserved3y: 0.45,
  spot: 0.35,
  spotInterruptionsPerHour: 0.05,
} as const;

/** Pricing for a GPU type from its on-demand $/GPU-hour and the default (assumed) tier factors. */
export function defaultPricing(gpuType: string, onDemandPerGpuHour: number, overrides: Partial<GpuPricing> = {}): GpuPricing {
  return {
    gpuType,
    onDemandPerGpuHour,
    reserved1yPerGpuHour: onDemandPerGpuHour * DEFAULT_TIER_FACTORS.reserved1y,
    reserved3yPerGpuHour: onDemandPerGpuHour * DEFAULT_TIER_FACTORS.reserved3y,
    spotPerGpuHour: onDemandPerGpuHour * DEFAULT_TIER_FACTORS.spot,
    spotInterruptionsPerHour: DEFAULT_TIER_FACTORS.spotInterruptionsPerHour,
    ...overrides,
  };
}

export type ReservedTerm = '1y' | '3y';

export function reservedPerGpuHour(p: GpuPricing, term: ReservedTerm): number {
  return term === '3y' ? p.reserved3yPerGpuHour : p.reserved1yPerGpuHour;
}

/**
 * Spot instances interrupted at rate h per hour are each gone for the replacement time; keeping x
 * of them serving takes x (1 + h x replacement hours) on average, so spot's price per serving
 * GPU-hour carries that headroom.
 */
export function spotHeadroomFactor(p: GpuPricing, replacementS: number): number {
  return 1 + p.spotInterruptionsPerHour * (replacementS / 3600);
}

export function spotEffectivePerGpuHour(p: GpuPricing, replacementS: number): number {
  return p.spotPerGpuHour * spotHeadroomFactor(p, replacementS);
}
