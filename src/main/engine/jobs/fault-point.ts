// Named moments inside the engine's writes where the fault suite (tests/cli/faults.test.ts) stops
// a real process. Inert unless ROUTEPLAN_TEST_FAULT_AT names the point: then the process says
// "FAULT <point>" on stderr and holds there, so that the test can signal it at exactly that moment.

const wanted = () => process.env.ROUTEPLAN_TEST_FAULT_AT;
const holdMs = () => Number(process.env.ROUTEPLAN_TEST_FAULT_HOLD_MS ?? 5000);

/**
 * A point inside a synchronous transaction: holds without yielding, as a slow disk would, so a
 * SIGKILL lands mid-transaction and a SIGTERM is seen only once the transaction has ended.
 */
export function faultPoint(name: string): void {
  if (wanted() !== name) return;
  process.stderr.write(`FAULT ${name} pid=${process.pid}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs());
}

/** A point between awaits: holds with the event loop running, until the job is cancelled. */
export async function faultPointAsync(name: string, signal: AbortSignal): Promise<void> {
  if (wanted() !== name) return;
  process.stderr.write(`FAULT ${name} pid=${process.pid}\n`);
  const until = Date.now() + holdMs();
  while (!signal.aborted && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}
