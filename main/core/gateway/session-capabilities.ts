// What a downstream session declares at initialize. Handlers follow capabilities: a session registers
// a handler only for a capability it declares (the SDK refuses anything else), so this decides both.
import type { ServerCapabilities } from '@modelcontextprotocol/server';

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
export function serverEndpointCapabilities(upstream: ServerCapabilities | undefined): ServerCapabilities {
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
export function aggregateCapabilities(servers: Iterable<ServerCapabilities | undefined>): ServerCapabilities {
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
