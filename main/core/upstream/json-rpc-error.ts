// A JSON-RPC error whose message reaches the other side unchanged. The SDK sends a thrown error's `code`, `message`
// and `data` as the JSON-RPC error, but its McpError bakes "MCP error <code>: " into `message`, so
// relaying one as is (or throwing a new one) prefixes the message again at every hop.
import { McpError } from '@modelcontextprotocol/sdk/types.js';

export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'JsonRpcError';
  }
}

/** The error as the other side sent it: an McpError's code, bare message and data; anything else as is. */
export function relayable(error: unknown): unknown {
  if (!(error instanceof McpError)) return error;
  const prefix = `MCP error ${error.code}: `;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return new JsonRpcError(error.code, message, error.data);
}
