// MCP 2026-07-28 request headers that mirror the body (SEP-2243), so proxies and load balancers can
// route without reading it: `Mcp-Name` mirrors the tool or prompt name, and `Mcp-Param-{Name}`
// mirrors each argument a tool's input schema marks with `x-mcp-header: "Name"`. A server must
// refuse a request whose headers and body disagree (HTTP 400, JSON-RPC -32020). Values outside
// printable ASCII travel as `=?base64?…?=`.

/** The spec's error for request headers that disagree with the body. */
export const HEADER_MISMATCH = -32020;

const BASE64_SENTINEL = /^=\?base64\?(.*)\?=$/;
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CANONICAL_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A header value as the sender meant it (a Base64 sentinel decoded); undefined when the sentinel is malformed. */
export function decodeHeaderValue(value: string): string | undefined {
  const sentinel = BASE64_SENTINEL.exec(value.trim());
  if (!sentinel) return value.trim();
  if (!CANONICAL_BASE64.test(sentinel[1])) return undefined;
  return Buffer.from(sentinel[1], 'base64').toString('utf8');
}

/** A value as a header carries it: as is when printable ASCII, else as a Base64 sentinel. */
export function encodeHeaderValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) && value.trim() === value ? value : `=?base64?${Buffer.from(value).toString('base64')}?=`;
}

/** Whether a tool's input schema mirrors any argument into a header (its calls then carry Mcp-Param-* headers). */
export function mirrorsArguments(inputSchema: unknown): boolean {
  return mirroredArguments(inputSchema).length > 0;
}

/** The arguments of a tool's input schema mirrored into headers: their path in the arguments and the header's name. */
function mirroredArguments(inputSchema: unknown, path: string[] = []): { path: string[]; header: string }[] {
  const properties = (inputSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (!properties || typeof properties !== 'object') return [];
  return Object.entries(properties).flatMap(([key, schema]) => {
    const header = (schema as Record<string, unknown> | null)?.['x-mcp-header'];
    const own = typeof header === 'string' && header.length > 0 ? [{ path: [...path, key], header }] : [];
    return [...own, ...mirroredArguments(schema, [...path, key])];
  });
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Why a tools/call's `Mcp-Param-*` headers disagree with its arguments, per the tool's input
 * schema; undefined when they agree (or the schema mirrors nothing).
 */
export function paramHeaderMismatch(inputSchema: unknown, args: unknown, headers: Headers): string | undefined {
  for (const { path, header } of mirroredArguments(inputSchema)) {
    const value = valueAt(args, path);
    if (value === undefined || value === null || typeof value === 'object') continue;
    const name = `Mcp-Param-${header}`;
    const sent = headers.get(name);
    const argument = path.join('.');
    if (sent === null) return `the body carries ${argument}=${JSON.stringify(value)} but the ${name} header is absent`;
    const decoded = decodeHeaderValue(sent);
    if (decoded === undefined) return `the ${name} header carries an invalid Base64 sentinel value`;
    const same = typeof value === 'number' && CANONICAL_DECIMAL.test(decoded) ? Number(decoded) === value : decoded === String(value);
    if (!same) return `the ${name} header decodes to ${JSON.stringify(decoded)} but the body carries ${argument}=${JSON.stringify(value)}`;
  }
  return undefined;
}

/**
 * The headers of a client's 2026-07-28 request that go on with it to a server: content type and
 * accept, the protocol's own (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`, `Mcp-Param-*`) and
 * tracing. Never credentials, cookies or the 2025 session id.
 */
export function forwardedProtocolHeaders(request: Request): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: request.headers.get('accept') ?? 'application/json, text/event-stream' };
  for (const [name, value] of request.headers) {
    if (name.startsWith('mcp-') && name !== 'mcp-session-id') headers[name] = value;
    else if (name === 'traceparent' || name === 'tracestate' || name === 'baggage') headers[name] = value;
  }
  return headers;
}
