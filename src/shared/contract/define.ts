import type { z } from 'zod';

/**
 * One engine method, declared once: the zod schema of its input (validated at every face), the
 * TypeScript type of its output, and whether it is a long job (progress events, cancellation).
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown, J extends boolean = boolean> {
  input: I;
  job: J;
  /** Phantom field carrying the output type; never read at run time. */
  output?: O;
  summary: string;
}

// Curried so the output type is written and the input type is inferred from the schema:
//   call<WorkspaceInfo>()(z.object({}), 'Describe the open workspace')
export const call =
  <O>() =>
  <I extends z.ZodType>(input: I, summary: string): MethodSpec<I, O, false> => ({ input, job: false, summary });

export const job =
  <O>() =>
  <I extends z.ZodType>(input: I, summary: string): MethodSpec<I, O, true> => ({ input, job: true, summary });
