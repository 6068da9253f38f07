import { z } from 'zod';

// What crosses IPC and HTTP, validated on arrival. Method inputs are then validated by the engine
// against the method's own schema.
export const BridgeRequest = z.object({ method: z.string().min(1).max(100), input: z.unknown() });
export const CancelRequest = z.object({ jobId: z.string().uuid() });

/** Every bridged call answers with exactly one of these (Electron would drop a thrown error's fields). */
export type BridgeResponse<T> = { result: T; error?: undefined } | { result?: undefined; error: { code: string; message: string; details?: Record<string, unknown> } };

/** Parses a bridged payload; failures become INVALID_INPUT records rather than exceptions of zod's. */
export function parseBridge<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const message = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw Object.assign(new Error(`invalid request: ${message}`), { code: 'INVALID_INPUT' as const });
}
