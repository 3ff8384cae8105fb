// A JSON-RPC error as a whole HTTP response (for requests refused before, or answered without, an MCP
// session or server instance handling them), as a web Response or written to Node's own.
import type { ServerResponse } from 'node:http';
import { HEADER_MISMATCH } from '../upstream/mcp-headers.ts';

export interface ErrorResponseOptions {
  headers?: Record<string, string>;
  /** The id of the request it answers (null when there is none, or it could not be read). */
  id?: unknown;
  data?: unknown;
}

/** The JSON-RPC error message itself (for answers written straight to Node's response). */
function jsonRpcErrorBody(code: number, message: string, options: Omit<ErrorResponseOptions, 'headers'> = {}): object {
  const error = { code, message, ...(options.data !== undefined ? { data: options.data } : {}) };
  return { jsonrpc: '2.0', error, id: options.id ?? null };
}

export function jsonRpcError(status: number, code: number, message: string, options: ErrorResponseOptions = {}): Response {
  return Response.json(jsonRpcErrorBody(code, message, options), { status, headers: options.headers });
}

/** The 400 answer to a 2026-07-28 request whose headers and body disagree (SEP-2243). */
export function headerMismatch(id: unknown, why: string): Response {
  return jsonRpcError(400, HEADER_MISMATCH, `Bad Request: the request headers and body disagree: ${why}`, { id });
}

/** The same, written to Node's response (the session transports answer there). */
export function writeJsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(jsonRpcErrorBody(code, message)));
}
