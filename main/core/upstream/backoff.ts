// Restart timing shared by stdio and HTTP upstreams: exponential backoff with a cap and jitter,
// reset after a stable run. Remote servers are retried for as long as they are down (a network or a
// server comes back by itself); a stdio command that fails to start several times in a row is given
// up on (it will not fix itself, and respawning it forever burns the machine).

export interface BackoffSettings {
  /** First restart delay. */
  initialDelayMs: number;
  /** The delay doubles per consecutive crash up to this cap. */
  maxDelayMs: number;
  /** A run this long counts as stable: the next crash starts again at `initialDelayMs`. */
  stableAfterMs: number;
  /** stdio only: consecutive failures before initialize completes that make Canopy give up (status 'error'). */
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

/**
 * "Equal jitter": between half the delay and the delay, so replicas (or many servers behind one
 * dead proxy) do not all retry in the same instant, and the cap still holds.
 */
export function withJitter(delay: number, random: () => number = Math.random): number {
  return Math.round(delay / 2 + (delay / 2) * random());
}
