// A JSON-RPC error whose message reaches the other side unchanged: the SDK sends a thrown error's
// numeric `code`, `message` and `data` as the JSON-RPC error. Its own local errors (SdkError: a
// timeout, a closed connection) carry string codes, which it would send as -32603 with the message.
import { ProtocolError } from '@modelcontextprotocol/client';

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

/** The error as the other side sent it: a ProtocolError's code, message and data; anything else as is. */
export function relayable(error: unknown): unknown {
  if (!(error instanceof ProtocolError)) return error;
  return new JsonRpcError(error.code, error.message, error.data);
}
