// Small waits for the upstream tests, each bounded in time.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { parseServerConfig, type ServerConfigInput } from '../../main/core/config/server-config.ts';
import type { UpstreamConnection, UpstreamState, UpstreamStatus } from '../../main/core/upstream/types.ts';

export const config = (input: ServerConfigInput) => parseServerConfig(input);

/** Short backoff so crash tests take milliseconds, not seconds. */
export const fastBackoff = { initialDelayMs: 50, maxDelayMs: 400, stableAfterMs: 60_000, maxFailuresBeforeReady: 3 };

type Found<T> = Exclude<T, undefined | null | false | 0 | ''>;

/** Polls `probe` until it returns something truthy, for at most `timeoutMs`. */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<Found<T>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value as Found<T>;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function waitForStatus(connection: UpstreamConnection, status: UpstreamStatus, timeoutMs = 15_000): Promise<UpstreamState> {
  return waitFor(() => connection.state.status === status && connection.state, `${connection.name} to be ${status} (is ${connection.state.status}: ${connection.state.lastError ?? ''})`, timeoutMs);
}

export function textOf(result: unknown): string {
  return ((result as CallToolResult).content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
}

