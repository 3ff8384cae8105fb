// Sending one MCP 2026-07-28 (modern-era) message to a remote server as it is. A modern request
// carries everything it needs (no session, no initialize), so one server's endpoint can hand a
// client's request on and stream the server's answer back unread. The credentials are the server's
// own (its configured headers, bearer token or OAuth token): nothing that authenticated the
// downstream client goes upstream.
import type { ServerConfig } from '../config/server-config.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, tooLargeText } from './message-size.ts';
import { fetchWithResponseLimit } from './response-limit.ts';
import { JsonRpcError } from './json-rpc-error.ts';
import { bearerOf, type UpstreamAuth } from './http-transport.ts';

/**
 * Sends `body` (one JSON-RPC message) with the protocol headers given; resolves with the server's
 * HTTP response. A 401/403 is a refusal of Canopy's credentials, not the client's: it becomes an
 * error naming `canopy authorize`, and the server's challenge never reaches the client.
 */
export type ModernForwarder = (body: string, protocolHeaders: Record<string, string>, signal: AbortSignal) => Promise<Response>;

export function createModernForwarder(config: ServerConfig, credentialHeaders: Record<string, string>, authProvider?: UpstreamAuth): ModernForwarder {
  if (!config.url) throw new Error(`server '${config.name}' has no url`);
  const url = config.url;
  const limitBytes = config.max_response_bytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const limited = fetchWithResponseLimit({ limitBytes, text: tooLargeText(config.name, limitBytes) });
  return async (body, protocolHeaders, signal) => {
    const headers: Record<string, string> = { ...protocolHeaders, ...credentialHeaders };
    const token = authProvider && (await bearerOf(authProvider));
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await limited(url, { method: 'POST', headers, body, signal });
    if (response.status !== 401 && response.status !== 403) return response;
    await response.body?.cancel();
    throw new JsonRpcError(
      -32603,
      `server '${config.name}' refused Canopy's credentials (HTTP ${response.status}): check its token, or run \`canopy authorize ${config.name}\``,
    );
  };
}
