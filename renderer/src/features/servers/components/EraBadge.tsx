import type { ServerView } from '@core/api/contract.ts';
import { protocolEraLabel } from '@core/api/protocol-era-label.ts';

/** "MCP 2026-07-28" or "MCP 2025": the protocol era the server speaks; nothing while it is not known. */
export function EraBadge({ server }: { server: Pick<ServerView, 'name' | 'protocolEra' | 'protocolEraCheckedAt'> }) {
  const label = protocolEraLabel(server.protocolEra);
  if (!label) return null;
  const checked = server.protocolEraCheckedAt ? `found ${new Date(server.protocolEraCheckedAt).toLocaleString()}` : undefined;
  return (
    <span className="badge badge-era" title={checked} aria-label={`${server.name} protocol: MCP ${label}`}>
      MCP {label}
    </span>
  );
}
