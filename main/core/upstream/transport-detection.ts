// Which transport a remote server speaks when its config does not say, found the way the MCP spec's
// backwards-compatibility section tells clients to (2025-03-26 and later, "Transports → Backwards
// Compatibility"): POST an InitializeRequest; if that fails with 400, 404 or 405, GET the URL and
// expect an SSE stream whose first event is `endpoint` (the 2024-11-05 HTTP+SSE transport).
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import type { Transport as ConfigTransport } from '../config/server-config.ts';

export type RemoteTransport = Exclude<ConfigTransport, 'stdio'>;

export interface DetectTransportOptions {
  /** The server's static headers (bearer token, custom headers). */
  headers?: Record<string, string>;
  /** Bounds the whole probe. Default 10 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  clientInfo?: { name: string; version: string };
}

const OLD_TRANSPORT_STATUSES = new Set([400, 404, 405]);
/** The `endpoint` event comes first; a stream that sends this much without it is not an SSE MCP server. */
const MAX_SSE_PROBE_BYTES = 64 * 1024;

/**
 * 'sse' only when the server answers the old way; anything else (a working streamable HTTP server,
 * 401, a server that is down) is 'streamable_http', and the connection then reports what is wrong.
 */
export async function detectRemoteTransport(url: string, options: DetectTransportOptions = {}): Promise<RemoteTransport> {
  const fetchImpl = options.fetch ?? fetch;
  const headers = options.headers ?? {};
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  try {
    const post = await fetchImpl(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: options.clientInfo ?? { name: 'canopy', version: '0' } },
      }),
      signal,
    });
    await post.body?.cancel().catch(() => {});
    if (!OLD_TRANSPORT_STATUSES.has(post.status)) {
      // The probe opened a session on a streamable HTTP server: end it (politely, not waited for).
      const session = post.headers.get('mcp-session-id');
      if (post.ok && session) void fetchImpl(url, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': session } }).catch(() => {});
      return 'streamable_http';
    }
    return (await answersWithSseEndpoint(fetchImpl, url, headers, signal)) ? 'sse' : 'streamable_http';
  } catch {
    return 'streamable_http';
  }
}

async function answersWithSseEndpoint(fetchImpl: typeof fetch, url: string, headers: Record<string, string>, signal: AbortSignal): Promise<boolean> {
  const get = await fetchImpl(url, { headers: { ...headers, accept: 'text/event-stream' }, signal });
  if (!get.ok || !get.body || !(get.headers.get('content-type') ?? '').includes('text/event-stream')) {
    await get.body?.cancel().catch(() => {});
    return false;
  }
  const reader = get.body.pipeThrough(new TextDecoderStream()).getReader();
  let seen = '';
  let read = 0;
  try {
    while (read < MAX_SSE_PROBE_BYTES) {
      const { value, done } = await reader.read();
      if (done) return false;
      read += value.length;
      seen += value;
      // Events are separated by a blank line; the first one that is not only comments decides.
      for (let end = seen.search(/\r?\n\r?\n/); end >= 0; end = seen.search(/\r?\n\r?\n/)) {
        const block = seen.slice(0, end);
        seen = seen.slice(end).replace(/^(\r?\n){2}/, '');
        if (block.split(/\r?\n/).every((line) => line.startsWith(':'))) continue;
        return /^event:\s*endpoint\s*$/m.test(block);
      }
    }
    return false;
  } finally {
    await reader.cancel().catch(() => {});
  }
}
