/**
 * The processes a script started and has not stopped yet, so that a start that fails — or is interrupted —
 * leaves nothing running: each starter registers how to stop what it started, and the script stops them all.
 */
const live = new Set<() => Promise<void>>();

/** Registers `stop`; the returned function unregisters it (call it once the process is stopped). */
export function track(stop: () => Promise<void>): () => void {
  live.add(stop);
  return () => {
    live.delete(stop);
  };
}

/** Stops every process still registered, the latest started first. */
export async function stopAll(): Promise<void> {
  for (const stop of [...live].reverse()) {
    live.delete(stop);
    await stop().catch(() => {});
  }
}
