// A JSON-RPC error whose message reaches the other side unchanged: the SDK sends a thrown error's
// numeric `code`, `message` and `data` as the JSON-RPC error. Its own local errors (SdkError: a
// timeout, a closed connection) carry string codes, which it would send as -32603.
import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';

/** The JSON-RPC codes clients got for the SDK's own failures before SDK v2 gave them string codes. */
const LOCAL_FAILURE_CODES: Partial<Record<SdkErrorCode, number>> = {
  [SdkErrorCode.RequestTimeout]: -32001,
  [SdkErrorCode.ConnectionClosed]: -32000,
};

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

/** The error as the other side sent it: a ProtocolError's code, message and data; a timeout or closed connection with its code; anything else as is. */
export function relayable(error: unknown): unknown {
  if (error instanceof ProtocolError) return new JsonRpcError(error.code, error.message, error.data);
  const localCode = error instanceof SdkError ? LOCAL_FAILURE_CODES[error.code] : undefined;
  return localCode === undefined ? error : new JsonRpcError(localCode, (error as SdkError).message, (error as SdkError).data);
}
