// Admin API views for the CLI's unit tests.
import type { ServerView, ToolView } from '../../main/core/api/contract.ts';
import type { UpstreamState } from '../../main/core/upstream/types.ts';

export const NOW = Date.parse('2026-01-01T12:00:00Z');

export function serverView(name: string, state: Partial<UpstreamState> = {}, extra: Partial<ServerView> = {}): ServerView {
  return {
    name,
    transport: 'stdio',
    description: '',
    enabled: true,
    state: { status: 'running', crashes: 0, since: '2026-01-01T11:00:00Z', ...state },
    protocolEra: 'legacy',
    protocolEraCheckedAt: '2026-01-01T11:00:00Z',
    toolCount: 3,
    promptCount: 0,
    resourceCount: 0,
    config: { name, transport: 'stdio', command: 'node' },
    createdAt: '2026-01-01T10:00:00Z',
    updatedAt: '2026-01-01T10:00:00Z',
    ...extra,
  };
}

export function toolView(name: string, extra: Partial<ToolView> = {}): ToolView {
  const [server, originalName] = name.split('__');
  return { name, server, originalName, serverEndpointName: originalName, enabled: true, inputSchema: { type: 'object' }, ...extra };
}
