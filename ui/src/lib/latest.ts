// Answers from Rust as values. `attempt` turns a call's rejection into a typed
// `IpcError`; `latest()` also drops the answer of a call that a newer one
// overtook (a debounced preview, a reload after each event), so an old answer
// arriving late never overwrites the newest.
import { toIpcError } from './ipc';
import type { IpcError } from './types';

/** How a call ended: its value, or its error. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** How a call ended, or `stale` when a newer call started (or `drop()` was called) before it ended. */
export type Answer<T> = { stale: true } | ({ stale: false } & Outcome<T>);

/** Waits for `call`; never rejects. */
export async function attempt<T>(call: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call };
  } catch (e) {
    return { ok: false, error: toIpcError(e) };
  }
}

/**
 * Calls of which only the newest counts. Each component keeps one per kind of
 * call: `const loads = latest();` then
 * `const a = await loads.run(ipc.inspectSession(profile)); if (a.stale) return;`.
 */
export function latest() {
  let newest = 0;
  return {
    /** Waits for `call` (started just now); never rejects. */
    async run<T>(call: Promise<T>): Promise<Answer<T>> {
      const mine = ++newest;
      const outcome = await attempt(call);
      return mine === newest ? { stale: false, ...outcome } : { stale: true };
    },
    /** Makes the answers of the calls in flight stale, as when what they were for is gone. */
    drop() {
      newest++;
    },
  };
}

export type Latest = ReturnType<typeof latest>;
