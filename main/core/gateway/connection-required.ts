// A call to a per-user server whose caller has no usable account of it: the caller acts for no
// Canopy user (a static MCP client token), has not connected the server, or the upstream refused
// what they connected. Never answered with anyone else's access: the caller is told how to connect.
// An MCP client that declared URL-mode elicitation gets the link as one (MCP 2025-11-25: the
// URLElicitationRequiredError -32042; 2026-07-28: an input_required round with a URL elicitation);
// every other caller gets an error naming the page.
import { randomUUID } from 'node:crypto';
import { inputRequired, ProtocolErrorCode, UrlElicitationRequiredError, type ClientCapabilities, type InputRequiredResult } from '@modelcontextprotocol/server';
import { JsonRpcError } from '../upstream/json-rpc-error.ts';

export type ConnectionProblem = 'no_user' | 'not_connected' | 'refused';

/** The key of Canopy's own URL elicitation in a 2026-07-28 input_required round (the retry's answer to it is not the server's). */
export const CONNECT_INPUT_KEY = 'canopy_connect';

export class ConnectionRequired extends Error {
  constructor(
    readonly server: string,
    readonly problem: ConnectionProblem,
    /** Where the user connects the server (the web UI's Connections page); undefined without a user to connect for. */
    readonly url: string | undefined,
  ) {
    super(connectionMessage(server, problem, url));
    this.name = 'ConnectionRequired';
  }
}

function connectionMessage(server: string, problem: ConnectionProblem, url: string | undefined): string {
  const where = url ? `open ${url} (Canopy's Connections page), sign in and connect it` : "open Canopy's Connections page and connect it";
  switch (problem) {
    case 'no_user':
      return `server '${server}' uses each person's own account, and this client acts for no Canopy user: sign in to Canopy with OAuth from your MCP client (or use a user's token) to call it`;
    case 'not_connected':
      return `server '${server}' uses your own account of it, which you have not connected yet: ${where}, then call again`;
    case 'refused':
      return `server '${server}' refused the account you connected (revoked or expired): ${where} again, then call again`;
  }
}

/** Whether capabilities (declared at initialize, or in a 2026-07-28 request's envelope) include URL-mode elicitation. */
export function acceptsUrlElicitation(capabilities: ClientCapabilities | undefined): boolean {
  return Boolean(capabilities?.elicitation?.url);
}

/**
 * What an MCP caller gets for `required`: a URL elicitation when its client accepts one (as a
 * 2026-07-28 input_required result to return, or a 2025 -32042 error thrown, with `elicitationId`),
 * else a plain error.
 */
export function askToConnect(required: ConnectionRequired, capabilities: ClientCapabilities | undefined, modern: boolean, elicitationId: string = randomUUID()): InputRequiredResult {
  if (required.url && required.problem !== 'no_user' && acceptsUrlElicitation(capabilities)) {
    const message = required.message;
    if (modern) return inputRequired({ inputRequests: { [CONNECT_INPUT_KEY]: inputRequired.elicitUrl({ url: required.url, message }) } });
    throw new UrlElicitationRequiredError([{ mode: 'url', url: required.url, elicitationId, message }], message);
  }
  throw new JsonRpcError(ProtocolErrorCode.InvalidRequest, required.message);
}
