// A hand-made MCP 2026-07-28 tools/call (headers and `_meta` envelope as the spec has them), for
// checks an SDK client would not let a test make: forged headers, forged requestState.
export function rawModernCall(
  url: string,
  call: { tool: string; arguments: Record<string, unknown>; nameHeader?: string; capabilities?: Record<string, unknown>; params?: Record<string, unknown>; token?: string },
): Promise<Response> {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': call.capabilities ?? {},
  };
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': call.nameHeader ?? call.tool,
      ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: call.tool, arguments: call.arguments, ...call.params, _meta: meta } }),
  });
}
