// When a stored protocol-era verdict spares a start the probe (`server/discover`, then initialize if
// the server is legacy), and when the server is probed again:
// - A verdict is used for 24 h. A stale 'modern' verdict fails loudly (the server refuses the 2026
//   request) and the connection re-probes at once; a stale 'legacy' one would go on working silently
//   forever (a server that learned 2026-07-28 still initializes), so only this horizon retires it.
// - Only for the destination it was found for (transport and URL, or command and arguments): a
//   changed one re-probes. `canopy restart NAME` drops the verdict; so does deregistering.
// - Replicas on one PostgreSQL share it: a second replica starting the server skips the probe.
import { createHash } from 'node:crypto';
import type { ServerConfig } from '../config/server-config.ts';
import type { StoredEraVerdict } from '../store/protocol-eras.ts';
import type { EraVerdict } from '../upstream/types.ts';

export const ERA_VERDICT_MAX_AGE_MS = 24 * 60 * 60_000;

/** A fingerprint of where a server is reached (a hash: a URL may carry a token in its query). */
export function eraDestination(config: ServerConfig): string {
  const where = config.transport === 'stdio' ? [config.transport, config.command, config.args ?? []] : [config.transport, config.url];
  return createHash('sha256').update(JSON.stringify(where)).digest('hex');
}

export function storedVerdict(verdict: EraVerdict, config: ServerConfig): StoredEraVerdict {
  return { ...verdict, destination: eraDestination(config) };
}

/** The stored verdict when it was found for this config's destination, whatever its age. */
export function verdictFor(stored: StoredEraVerdict | undefined, config: ServerConfig): EraVerdict | undefined {
  if (!stored || stored.destination !== eraDestination(config)) return undefined;
  const { destination, ...verdict } = stored;
  return verdict;
}

/** The verdict a start may use instead of probing: this destination's, and fresh. */
export function freshVerdict(stored: StoredEraVerdict | undefined, config: ServerConfig, now = Date.now()): EraVerdict | undefined {
  const verdict = verdictFor(stored, config);
  // An unreadable time is not fresh; one slightly ahead (another replica's clock) is.
  return verdict && now - Date.parse(verdict.checkedAt) < ERA_VERDICT_MAX_AGE_MS ? verdict : undefined;
}
