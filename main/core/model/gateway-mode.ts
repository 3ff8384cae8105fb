/** Development: one user, no tokens. Enterprise: authenticated users and MCP clients with allow-lists. */
export type GatewayMode = 'development' | 'enterprise';
