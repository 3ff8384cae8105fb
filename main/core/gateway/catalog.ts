// The aggregated catalog: what each downstream view (all servers, one server, a group) lists, and how
// an exposed name maps back to an upstream and its own name. Views are computed once per change and
// cached, so `tools/list` on a thousand tools is a cached array.
import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  qualifiedName,
  qualifiedResourceUri,
  splitQualifiedName,
  splitQualifiedResourceUri,
} from '../config/names.ts';
import type { UpstreamConnection } from '../upstream/types.ts';
import type { ItemKind } from '../store/item-settings.ts';

/**
 * Which servers a downstream endpoint shows, and whether names are prefixed: every server, one
 * server (names unchanged), or a tool group (prefixed names, narrowed by the group's rules).
 */
export type ViewSpec = { kind: 'all' } | { kind: 'server'; server: string } | { kind: 'group'; group: string };

/** Narrows a view further (enterprise allow-lists, tool groups). */
export interface ItemFilter {
  readonly key: string;
  allows(server: string, kind: 'tool' | 'prompt' | 'resource', name: string): boolean;
}

/** A group's rules by name; undefined when no such group exists. */
export type GroupLookup = (name: string) => ItemFilter | undefined;

/** Identifies a view (cache keys, the endpoint a session is bound to). */
export function viewKey(spec: ViewSpec): string {
  if (spec.kind === 'all') return '*';
  return spec.kind === 'server' ? `server:${spec.server}` : `group:${spec.group}`;
}

/** Shows nothing (a group that no longer exists). */
const NOTHING: ItemFilter = { key: 'nothing', allows: () => false };

/** Both filters must allow an item. */
function bothOf(first: ItemFilter, second: ItemFilter | undefined): ItemFilter {
  if (!second) return first;
  return { key: `${first.key}&${second.key}`, allows: (...args) => first.allows(...args) && second.allows(...args) };
}

export interface CatalogSource {
  /** Registered servers in name order. */
  servers(): Iterable<{ name: string; enabled: boolean }>;
  /** One registered server, looked up without listing them all (request paths use it). */
  server(name: string): { name: string; enabled: boolean } | undefined;
  connection(name: string): UpstreamConnection | undefined;
  isItemEnabled(server: string, kind: ItemKind, name: string): boolean;
  /** 'changed': a server was added, removed or toggled, or a connection appeared or changed. */
  on(event: 'changed', listener: () => void): unknown;
  off(event: 'changed', listener: () => void): unknown;
}

export interface ItemRef {
  server: string;
  /** The upstream's own name (tool, prompt) or URI (resource). */
  name: string;
}

export interface CatalogView {
  readonly tools: Tool[];
  readonly prompts: Prompt[];
  readonly resources: Resource[];
  readonly resourceTemplates: ResourceTemplate[];
  /** Serialized lists, compared to decide which list_changed notifications a change needs. */
  readonly signatures: { tools: string; prompts: string; resources: string };
  resolveTool(exposed: string): ItemRef | undefined;
  resolvePrompt(exposed: string): ItemRef | undefined;
  /** Maps an exposed resource URI back to its upstream (templates included). */
  resolveResource(exposedUri: string): ItemRef | undefined;
  /** Maps an upstream URI to the URI this view exposes. */
  exposeResourceUri(server: string, uri: string): string;
  /** True when the server is part of this view (running or not). */
  includesServer(server: string): boolean;
}

/** Statuses whose cached catalog is still listed (transient trouble keeps tools visible). */
const LISTED_STATUSES = new Set(['running', 'starting', 'crashed', 'stopped']);

export function isListed(connection: UpstreamConnection | undefined): boolean {
  return Boolean(connection?.catalog) && LISTED_STATUSES.has(connection!.state.status);
}

/**
 * Resource and template names are labels, not keys (the URI is the key), so on an aggregated view
 * they carry their server the way tool names do, and pickers can tell two servers' "README" apart.
 */
function labelled(server: string, item: { name: string; title?: string }): { name: string; title?: string } {
  return { name: `${server}__${item.name}`, ...(item.title !== undefined ? { title: `${server}: ${item.title}` } : {}) };
}

function buildView(source: CatalogSource, spec: ViewSpec, filter: ItemFilter | undefined): CatalogView {
  const prefixed = spec.kind !== 'server';
  const tools: Tool[] = [];
  const prompts: Prompt[] = [];
  const resources: Resource[] = [];
  const resourceTemplates: ResourceTemplate[] = [];
  const toolIndex = new Map<string, ItemRef>();
  const promptIndex = new Map<string, ItemRef>();
  const members = new Set<string>();

  for (const server of source.servers()) {
    if (spec.kind === 'server' && server.name !== spec.server) continue;
    // Under a filter a server belongs to the view only through what the filter lets through, so
    // its logs and roots reach no one who cannot use it.
    if (!filter || filter.allows(server.name, 'resource', '*')) members.add(server.name);
    if (!server.enabled) continue;
    const connection = source.connection(server.name);
    if (!isListed(connection)) continue;
    const catalog = connection!.catalog!;
    for (const tool of catalog.tools) {
      if (!source.isItemEnabled(server.name, 'tool', tool.name)) continue;
      if (filter && !filter.allows(server.name, 'tool', tool.name)) continue;
      const exposed = prefixed ? qualifiedName(server.name, tool.name) : tool.name;
      tools.push(prefixed ? { ...tool, name: exposed } : tool);
      toolIndex.set(exposed, { server: server.name, name: tool.name });
      members.add(server.name);
    }
    for (const prompt of catalog.prompts) {
      if (!source.isItemEnabled(server.name, 'prompt', prompt.name)) continue;
      if (filter && !filter.allows(server.name, 'prompt', prompt.name)) continue;
      const exposed = prefixed ? qualifiedName(server.name, prompt.name) : prompt.name;
      prompts.push(prefixed ? { ...prompt, name: exposed } : prompt);
      promptIndex.set(exposed, { server: server.name, name: prompt.name });
      members.add(server.name);
    }
    if (filter && !filter.allows(server.name, 'resource', '*')) continue;
    for (const resource of catalog.resources) {
      resources.push(prefixed ? { ...resource, ...labelled(server.name, resource), uri: qualifiedResourceUri(server.name, resource.uri) } : resource);
    }
    for (const template of catalog.resourceTemplates) {
      resourceTemplates.push(
        prefixed
          ? { ...template, ...labelled(server.name, template), uriTemplate: qualifiedResourceUri(server.name, template.uriTemplate) }
          : template,
      );
    }
  }

  const resourceServers = new Set(
    [...members].filter((name) => !filter || filter.allows(name, 'resource', '*')),
  );
  return {
    tools,
    prompts,
    resources,
    resourceTemplates,
    signatures: {
      tools: JSON.stringify(tools),
      prompts: JSON.stringify(prompts),
      resources: JSON.stringify([resources, resourceTemplates]),
    },
    resolveTool: (exposed) => toolIndex.get(exposed),
    resolvePrompt: (exposed) => promptIndex.get(exposed),
    resolveResource(exposedUri) {
      if (!prefixed) {
        const server = (spec as { server: string }).server;
        return resourceServers.has(server) ? { server, name: exposedUri } : undefined;
      }
      const split = splitQualifiedResourceUri(exposedUri);
      return split && resourceServers.has(split.server) ? { server: split.server, name: split.uri } : undefined;
    },
    exposeResourceUri: (server, uri) => (prefixed ? qualifiedResourceUri(server, uri) : uri),
    includesServer: (server) => members.has(server),
  };
}

export class Catalog {
  private readonly views = new Map<string, CatalogView>();

  constructor(
    private readonly source: CatalogSource,
    private readonly groups: GroupLookup = () => undefined,
  ) {}

  view(spec: ViewSpec, filter?: ItemFilter): CatalogView {
    const key = `${viewKey(spec)}|${filter?.key ?? ''}`;
    let view = this.views.get(key);
    if (!view) {
      // A group view is the aggregate narrowed by the group's rules (and then the caller's filter).
      const effective = spec.kind === 'group' ? bothOf(this.groups(spec.group) ?? NOTHING, filter) : filter;
      view = buildView(this.source, spec, effective);
      this.views.set(key, view);
    }
    return view;
  }

  /** Drops every cached view; the next `view()` recomputes. */
  invalidate(): void {
    this.views.clear();
  }
}

/** The server and name an exposed tool/prompt name stands for on an endpoint, whether or not it exists. */
export function namedItem(spec: ViewSpec, exposed: string): { server: string; name: string } | undefined {
  return spec.kind === 'server' ? { server: spec.server, name: exposed } : splitQualifiedName(exposed);
}

/** Why an exposed tool/prompt name does not resolve, phrased for the user. */
export function explainMissing(
  source: CatalogSource,
  kind: ItemKind,
  exposed: string,
  spec: ViewSpec,
): string {
  const ref = namedItem(spec, exposed);
  if (!ref) return `unknown ${kind} '${exposed}': ${kind} names have the form server__${kind}`;
  const server = source.server(ref.server);
  if (!server) return `unknown ${kind} '${exposed}': no server named '${ref.server}' is registered`;
  if (!server.enabled) return `server '${ref.server}' is disabled: enable it with \`canopy enable server ${ref.server}\``;
  const connection = source.connection(ref.server);
  const status = connection?.state.status;
  if (status === 'needs_authorization') {
    return `server '${ref.server}' needs authorization: run \`canopy authorize ${ref.server}\` or open Canopy`;
  }
  if (status === 'error') return `server '${ref.server}' is not running: ${connection?.state.lastError ?? 'it failed to start'}`;
  if (!isListed(connection) && (status === 'starting' || status === 'stopped')) return `server '${ref.server}' is starting; try again in a moment`;
  if (!isListed(connection) && status === 'crashed') return `server '${ref.server}' is not running: ${connection?.state.lastError}`;
  if (!source.isItemEnabled(ref.server, kind, ref.name)) {
    const name = qualifiedName(ref.server, ref.name);
    return `${kind} '${name}' is disabled: enable it with \`canopy enable ${kind} ${name}\``;
  }
  return `unknown ${kind} '${exposed}'`;
}
