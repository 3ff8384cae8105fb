// The JSON-RPC envelope of a message a client sends, checked by hand on the transports' hot path: the
// session's SDK Server validates each method's params itself, so a schema parse here would be a second.
import type { JSONRPCMessage } from '@modelcontextprotocol/server';

type Message = Record<string, unknown>;

/** Whether `value` is a JSON-RPC 2.0 request, notification or response. */
export function isJsonRpcMessage(value: unknown): value is JSONRPCMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const message = value as Message;
  if (message.jsonrpc !== '2.0') return false;
  const { id } = message;
  const validId = typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
  if (typeof message.method === 'string') {
    const params = message.params;
    if (params !== undefined && (typeof params !== 'object' || params === null)) return false;
    return id === undefined || validId;
  }
  if (!validId) return false;
  if ('result' in message) return typeof message.result === 'object' && message.result !== null;
  const error = message.error as Message | undefined;
  return typeof error === 'object' && error !== null && typeof error.code === 'number' && typeof error.message === 'string';
}
