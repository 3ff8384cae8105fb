// What every bench section measures with: MCP clients over streamable HTTP, SSE and stdio, latency at
// concurrency 1 (p50/p99 after a warm-up) and throughput at concurrency 32, with fixed call counts.
// The same loop measures SDK v1 clients (2025-11-25 and earlier) and v2 clients pinned to 2026-07-28.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHTTPClientTransport } from '@modelcontextprotocol/client';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { setMaxListeners } from 'node:events';

const LATENCY_CALLS = 1_000;
const WARMUP_CALLS = 100;
export const CONCURRENCY = 32;
const CALLS_PER_WORKER = 100;

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The SDK's transports pass one long-lived AbortSignal to every request; fetch hangs a listener on
 * it per request and lets go of it only when the request is garbage-collected. On a busy upstream
 * that is thousands of listeners at once — expected, not a leak — so the signal's listener warning
 * is turned off rather than printed over and over.
 */
const fetchOnSharedSignal: typeof fetch = (input, init) => {
  if (init?.signal) setMaxListeners(0, init.signal);
  return fetch(input, init);
};

export async function httpClient(url: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: fetchOnSharedSignal });
  await client.connect(transport);
  // Close politely (DELETE), as a well-behaved client does, so sessions do not pile up.
  const close = client.close.bind(client);
  client.close = async () => {
    await transport.terminateSession().catch(() => {});
    await close();
  };
  return client;
}

/** A client of the legacy HTTP+SSE transport (GET the stream at `url`, POST to the endpoint it names). */
export async function sseClient(url: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new SSEClientTransport(new URL(url)));
  return client;
}

/** An SDK v2 client pinned to MCP 2026-07-28: stateless, every call one POST with its own `_meta`. */
export async function modernClient(url: string): Promise<ModernClient> {
  const client = new ModernClient({ name: 'bench', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new ModernHTTPClientTransport(new URL(url), { fetch: fetchOnSharedSignal }));
  return client;
}

export async function stdioClient(command: string, args: string[]): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
  return client;
}

/** What the loop uses of a client, which SDK v1's and v2's `Client` both have. */
export interface EchoClient {
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

export const echo = (client: EchoClient, tool: string) => client.callTool({ name: tool, arguments: { message: 'x' } });

export async function timed(times: number, run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

async function latency(client: EchoClient, tool: string): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP_CALLS; i += 1) await echo(client, tool);
  const samples = await timed(LATENCY_CALLS, () => echo(client, tool));
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** CONCURRENCY workers, each on its own client (session) when `clients` has that many. */
async function throughput(clients: EchoClient[], tool: string): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      const client = clients[worker % clients.length];
      for (let i = 0; i < CALLS_PER_WORKER; i += 1) await echo(client, tool);
    }),
  );
  return (CONCURRENCY * CALLS_PER_WORKER) / ((performance.now() - start) / 1000);
}

export interface Measured {
  p50: number;
  p99: number;
  /** Calls per second with CONCURRENCY calls in flight. */
  rps: number;
}

/** Latency on one client, then throughput over `sessions` clients (all opened before the clock starts). */
export async function measureEcho(open: () => Promise<EchoClient>, tool: string, sessions: number): Promise<Measured> {
  const first = await open();
  const lat = await latency(first, tool);
  const clients = [first];
  while (clients.length < sessions) clients.push(await open());
  const rps = await throughput(clients, tool);
  await Promise.all(clients.map((c) => c.close()));
  return { ...lat, rps };
}
