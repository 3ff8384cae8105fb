// A JSON-RPC error as a whole HTTP response (for requests refused before any MCP session handles them).
export function jsonRpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status, headers });
}
