// What a downstream session declares at initialize (a 2026-07-28 request: in its server/discover and
// with every request's session). Handlers follow capabilities: a session registers a handler only for
// a capability it declares (the SDK refuses anything else), so this decides both.
import type { ServerCapabilities } from '@modelcontextprotocol/server';
import { prefixOf, type CatalogSource, type CatalogView, type ViewSpec } from './catalog.ts';

/** Shared by every session of a view until the catalog changes: read, never changed (the SDK's Server copies it). */
export interface SessionDeclaration {
  readonly capabilities: ServerCapabilities;
  readonly instructions: string | undefined;
}

/**
 * What the sessions of `view` declare, from the upstreams' capabilities and instructions as last
 * seen (see GatewayCore.learnCapabilities). Everything it reads changes only with a change that
 * makes the catalog build its views anew, so it can be kept with the view.
 */
export function sessionDeclaration(source: CatalogSource, spec: ViewSpec, view: CatalogView): SessionDeclaration {
  const catalog = (server: string) => source.connection(server)?.catalog;
  if (spec.kind === 'server') {
    const upstream = catalog(spec.server);
    return { capabilities: serverEndpointCapabilities(upstream?.capabilities), instructions: upstream?.instructions };
  }
  const servers = [...source.servers()];
  const parts: string[] = [];
  for (const server of servers) {
    const { name, enabled } = server;
    const text = enabled && view.includesServer(name) ? catalog(name)?.instructions : undefined;
    if (text) parts.push(`## ${name}\nTools of this server are named ${prefixOf(server)}__<tool>.\n${text}`);
  }
  return {
    capabilities: aggregateCapabilities(servers.map(({ name }) => catalog(name)?.capabilities)),
    instructions: parts.length > 0 ? parts.join('\n\n') : undefined,
  };
}

/**
 * A server whose capabilities are not known yet (disabled, or never started) may offer any list once
 * it runs: sessions declare the lists for it, so they stay complete when it comes up.
 */
const UNKNOWN: ServerCapabilities = {
  tools: {},
  prompts: {},
  resources: {},
  logging: {},
};

/**
 * One server's endpoint mirrors the upstream's capabilities, as far as Canopy serves them: lists get
 * `listChanged` (Canopy's switches change them); `tasks` and `experimental` are left out because
 * Canopy does not relay task-augmented or unknown requests.
 */
function serverEndpointCapabilities(upstream: ServerCapabilities | undefined): ServerCapabilities {
  const offered = upstream ?? UNKNOWN;
  const caps: ServerCapabilities = {};
  if (offered.tools) caps.tools = { ...offered.tools, listChanged: true };
  if (offered.prompts) caps.prompts = { ...offered.prompts, listChanged: true };
  if (offered.resources) caps.resources = { ...offered.resources, listChanged: true };
  if (offered.completions) caps.completions = offered.completions;
  if (offered.logging) caps.logging = offered.logging;
  return caps;
}

/**
 * An aggregated endpoint (/mcp, /sse, a group) declares tools always and each other capability when
 * one of the gateway's servers offers it — or may, not having run yet. Every registered server counts,
 * not only those the group or allow-list shows now: both may change during a session, and a client
 * only learns capabilities at initialize.
 */
function aggregateCapabilities(servers: Iterable<ServerCapabilities | undefined>): ServerCapabilities {
  const caps: ServerCapabilities = { tools: { listChanged: true } };
  for (const upstream of servers) {
    const offered = upstream ?? UNKNOWN;
    if (offered.prompts) caps.prompts = { listChanged: true };
    if (offered.resources) {
      caps.resources = { ...caps.resources, listChanged: true };
      if (offered.resources.subscribe) caps.resources.subscribe = true;
    }
    if (offered.completions) caps.completions = {};
    if (offered.logging) caps.logging = {};
  }
  return caps;
}
