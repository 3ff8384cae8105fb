// Restart timing shared by stdio and HTTP upstreams: exponential backoff with a cap, reset after a
// stable run, and a limit on failures before the first successful initialize.

export interface BackoffSettings {
  /** First restart delay. */
  initialDelayMs: number;
  /** The delay doubles per consecutive crash up to this cap. */
  maxDelayMs: number;
  /** A run this long counts as stable: the next crash starts again at `initialDelayMs`. */
  stableAfterMs: number;
  /** Consecutive failures before initialize completes that make Canopy give up (status 'error'). */
  maxFailuresBeforeReady: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  stableAfterMs: 30_000,
  maxFailuresBeforeReady: 5,
};

/** The delay before restart number `attempt` (0 for the first restart after a stable run). */
export function backoffDelay(attempt: number, settings: Pick<BackoffSettings, 'initialDelayMs' | 'maxDelayMs'>): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  return Math.min(settings.initialDelayMs * 2 ** exponent, settings.maxDelayMs);
}
