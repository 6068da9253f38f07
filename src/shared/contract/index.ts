import type { z } from 'zod';
import type { MethodSpec } from './define';
import { workspaceMethods, dataMethods } from './workspace';
import { routingMethods, evaluationMethods } from './routing';
import { predictorMethods } from './predictor';
import { policyMethods } from './policy';
import { allocationMethods } from './allocation';
import { performanceMeasurementMethods } from './performance-measurements';
import { performanceMethods } from './performance';
import { demandMethods } from './demand';
import { planningMethods } from './planning-methods';

export * from './workspace';
export * from './routing';
export * from './predictor';
export * from './policy';
export * from './allocation';
export * from './performance-measurements';
export * from './performance';
export * from './demand';
export * from './planning-methods';
export type { ReplayReportOut } from './planning-report';
export type { MethodSpec } from './define';

// Each domain declares its methods in its own file; this is the one place that merges them.
export const methods = {
  ...workspaceMethods,
  ...dataMethods,
  ...routingMethods,
  ...evaluationMethods,
  ...predictorMethods,
  ...policyMethods,
  ...allocationMethods,
  ...performanceMeasurementMethods,
  ...performanceMethods,
  ...demandMethods,
  ...planningMethods,
} satisfies Record<string, MethodSpec>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type JobMethodName = { [M in MethodName]: Methods[M]['job'] extends true ? M : never }[MethodName];
export type CallMethodName = Exclude<MethodName, JobMethodName>;
/** What a caller sends (defaults optional). */
export type InputOf<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives after validation (defaults applied). */
export type ParsedInputOf<M extends MethodName> = z.output<Methods[M]['input']>;
export type OutputOf<M extends MethodName> = NonNullable<Methods[M]['output']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
