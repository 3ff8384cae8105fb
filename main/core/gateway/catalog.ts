// The aggregated catalog: what each downstream view (all servers, one server, a group) lists, and how
// an exposed name maps back to an upstream and its own name. Views are computed once per change and
// cached, so `tools/list` on a thousand tools is a cached array.
import type { Prompt, Resource, ResourceTemplateType as ResourceTemplate, Tool } from '@modelcontextprotocol/server';
import {
  qualifiedName,
  qualifiedResourceUri,
  splitQualifiedName,
  splitQualifiedResourceUri,
} from '../config/names.ts';
import type { UpstreamConnection } from '../upstream/types.ts';
import type { ItemKind, ToolOverride } from '../store/item-settings.ts';
import { assignNames, claimId, type NameClaim } from './exposed-names.ts';

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

/** A registered server as the catalog sees it. */
export interface CatalogServer {
  name: string;
  enabled: boolean;
  /** Short prefix of its tools and prompts on aggregated views, instead of its name. */
  alias?: string;
  /** Calls use each caller's own credentials ("credentials": "per_user"). */
  perUser?: boolean;
}

export interface CatalogSource {
  /** Registered servers in name order. */
  servers(): Iterable<CatalogServer>;
  /** One registered server, looked up without listing them all (request paths use it). */
  server(name: string): CatalogServer | undefined;
  /** The server whose name or alias is `prefix` (what comes before `__` on aggregated views). */
  serverByPrefix(prefix: string): CatalogServer | undefined;
  connection(name: string): UpstreamConnection | undefined;
  isItemEnabled(server: string, kind: ItemKind, name: string): boolean;
  /** What the user changed of a tool (its name, its description); undefined when nothing. */
  toolOverride(server: string, name: string): ToolOverride | undefined;
  /** 'changed': a server was added, removed or toggled, or a connection appeared or changed. */
  on(event: 'changed', listener: () => void): unknown;
  off(event: 'changed', listener: () => void): unknown;
}

/** What a server's tools and prompts are prefixed with on aggregated views. */
export function prefixOf(server: CatalogServer): string {
  return server.alias ?? server.name;
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
  /** Maps a listed tool name back to its server and the upstream's own name. */
  resolveTool(exposed: string): ItemRef | undefined;
  resolvePrompt(exposed: string): ItemRef | undefined;
  /** The name this view lists an item under (the reverse of resolveTool/resolvePrompt); undefined when not listed. */
  exposedName(kind: ItemKind, server: string, name: string): string | undefined;
  /** Maps an exposed resource URI back to its upstream (templates included). */
  resolveResource(exposedUri: string): ItemRef | undefined;
  /** Maps an upstream URI to the URI this view exposes. */
  exposeResourceUri(server: string, uri: string): string;
  /** True when the server is part of this view (running or not). */
  includesServer(server: string): boolean;
}

/** Statuses whose cached catalog is still listed (transient trouble keeps tools visible; a sleeping server wakes at its next call). */
const LISTED_STATUSES = new Set(['running', 'starting', 'crashed', 'stopped', 'sleeping']);

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

/** A tool or prompt as a view lists it: overrides applied, name still the upstream's. */
interface CatalogItem {
  server: CatalogServer;
  item: Tool | Prompt;
  /** The name the user gave the tool, else the upstream's. */
  name: string;
  overridden: boolean;
}

/** Tools or prompts of the servers in scope that are listed (server enabled and running, item not hidden), in server order. */
function* listedItems(source: CatalogSource, kind: ItemKind, server: string | undefined, hidden = false): Generator<CatalogItem> {
  for (const entry of source.servers()) {
    if (server !== undefined && entry.name !== server) continue;
    if (!entry.enabled) continue;
    const connection = source.connection(entry.name);
    if (!isListed(connection)) continue;
    const catalog = connection!.catalog!;
    for (const item of kind === 'tool' ? catalog.tools : catalog.prompts) {
      if (source.isItemEnabled(entry.name, kind, item.name) === hidden) continue;
      const renamed = kind === 'tool' ? source.toolOverride(entry.name, item.name)?.name : undefined;
      yield { server: entry, item, name: renamed ?? item.name, overridden: renamed !== undefined };
    }
  }
}

function claimOf(entry: CatalogItem, prefixed: boolean): NameClaim {
  return {
    id: claimId(entry.server.name, entry.item.name),
    wanted: prefixed ? qualifiedName(prefixOf(entry.server), entry.name) : entry.name,
    overridden: entry.overridden,
  };
}

/**
 * The names of one kind's listed items (claim id → name): on aggregated views (`server` undefined)
 * or on one server's endpoint. With `hidden`, hidden items are named too, after and around the
 * listed ones, so the admin API can show what name a hidden item would have.
 */
export function exposedNames(source: CatalogSource, kind: ItemKind, server?: string, options: { hidden?: boolean } = {}): Map<string, string> {
  const prefixed = server === undefined;
  const names = assignNames([...listedItems(source, kind, server)].map((entry) => claimOf(entry, prefixed)));
  if (!options.hidden) return names;
  const hidden = assignNames([...listedItems(source, kind, server, true)].map((entry) => claimOf(entry, prefixed)), new Set(names.values()));
  return new Map([...names, ...hidden]);
}

/** Names are shared by every view of a scope (aggregate or one server), whatever narrows the view. */
type NameLookup = (kind: ItemKind, server: string | undefined) => Map<string, string>;

function buildView(source: CatalogSource, spec: ViewSpec, filter: ItemFilter | undefined, namesOf: NameLookup): CatalogView {
  const prefixed = spec.kind !== 'server';
  const scope = spec.kind === 'server' ? spec.server : undefined;
  const tools: Tool[] = [];
  const prompts: Prompt[] = [];
  const resources: Resource[] = [];
  const resourceTemplates: ResourceTemplate[] = [];
  const toolIndex = new Map<string, ItemRef>();
  const promptIndex = new Map<string, ItemRef>();
  const members = new Set<string>();
  const toolNames = namesOf('tool', scope);
  const promptNames = namesOf('prompt', scope);

  for (const server of source.servers()) {
    if (spec.kind === 'server' && server.name !== spec.server) continue;
    // Under a filter a server belongs to the view only through what the filter lets through, so
    // its logs and roots reach no one who cannot use it.
    if (!filter || filter.allows(server.name, 'resource', '*')) members.add(server.name);
  }
  // Filters (allow-lists, groups) match the upstream's own names, whatever a tool is listed as.
  for (const entry of listedItems(source, 'tool', scope)) {
    const { server, item } = entry;
    const exposed = toolNames.get(claimId(server.name, item.name));
    if (exposed === undefined || toolIndex.has(exposed)) continue;
    if (filter && !filter.allows(server.name, 'tool', item.name)) continue;
    const description = source.toolOverride(server.name, item.name)?.description;
    tools.push(exposed === item.name && description === undefined ? (item as Tool) : { ...(item as Tool), name: exposed, ...(description !== undefined ? { description } : {}) });
    toolIndex.set(exposed, { server: server.name, name: item.name });
    members.add(server.name);
  }
  for (const { server, item } of listedItems(source, 'prompt', scope)) {
    const exposed = promptNames.get(claimId(server.name, item.name));
    if (exposed === undefined || promptIndex.has(exposed)) continue;
    if (filter && !filter.allows(server.name, 'prompt', item.name)) continue;
    prompts.push(exposed === item.name ? (item as Prompt) : { ...(item as Prompt), name: exposed });
    promptIndex.set(exposed, { server: server.name, name: item.name });
    members.add(server.name);
  }
  for (const server of source.servers()) {
    if (spec.kind === 'server' && server.name !== spec.server) continue;
    if (!server.enabled) continue;
    const connection = source.connection(server.name);
    if (!isListed(connection)) continue;
    const catalog = connection!.catalog!;
    if (filter && !filter.allows(server.name, 'resource', '*')) continue;
    // A per-user server's catalog is listed with one user's account: its resources are that user's data, not everyone's.
    for (const resource of server.perUser ? [] : catalog.resources) {
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
    exposedName(kind, server, name) {
      const exposed = (kind === 'tool' ? toolNames : promptNames).get(claimId(server, name));
      return exposed !== undefined && (kind === 'tool' ? toolIndex : promptIndex).has(exposed) ? exposed : undefined;
    },
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
  private readonly names = new Map<string, Map<string, string>>();
  private readonly namesOf: NameLookup = (kind, server) => {
    const key = `${kind}|${server ?? '*'}`;
    let names = this.names.get(key);
    if (!names) {
      names = exposedNames(this.source, kind, server);
      this.names.set(key, names);
    }
    return names;
  };

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
      view = buildView(this.source, spec, effective, this.namesOf);
      this.views.set(key, view);
    }
    return view;
  }

  /** Drops every cached view; the next `view()` recomputes. */
  invalidate(): void {
    this.views.clear();
    this.names.clear();
  }
}

/**
 * The server and name an exposed tool/prompt name stands for on an endpoint, whether or not it
 * exists: `prefix__name` with the prefix a server's name or (given `source`) its alias.
 */
export function namedItem(spec: ViewSpec, exposed: string, source?: CatalogSource): { server: string; name: string } | undefined {
  if (spec.kind === 'server') return { server: spec.server, name: exposed };
  const split = splitQualifiedName(exposed);
  const server = split && source?.serverByPrefix(split.server);
  return server ? { server: server.name, name: split!.name } : split;
}

/**
 * Resolves an exposed tool or prompt name for a caller, or says why it does not resolve. A caller with
 * a filter (allow-list) learns nothing about names outside it: one answer whether they exist or not.
 */
export function resolveItem(
  source: CatalogSource,
  spec: ViewSpec,
  view: CatalogView,
  filter: ItemFilter | undefined,
  kind: 'tool' | 'prompt',
  exposed: string,
): { ref: ItemRef } | { error: string } {
  const ref = kind === 'tool' ? view.resolveTool(exposed) : view.resolvePrompt(exposed);
  if (ref) return { ref };
  const named = namedItem(spec, exposed, source);
  if (filter && !(named && filter.allows(named.server, kind, named.name))) return { error: `${kind} '${exposed}' is unknown or not allowed for this client` };
  return { error: explainMissing(source, kind, exposed, spec, view) };
}

/** Why an exposed tool/prompt name does not resolve, phrased for the user. */
function explainMissing(
  source: CatalogSource,
  kind: ItemKind,
  exposed: string,
  spec: ViewSpec,
  view?: CatalogView,
): string {
  const ref = namedItem(spec, exposed, source);
  if (!ref) return `unknown ${kind} '${exposed}': ${kind} names have the form server__${kind}`;
  const server = source.server(ref.server);
  if (!server) return `unknown ${kind} '${exposed}': no server named '${ref.server}' is registered`;
  if (!server.enabled) return `server '${ref.server}' is disabled: enable it with \`canopy enable server ${ref.server}\``;
  const connection = source.connection(ref.server);
  const status = connection?.state.status;
  if (status === 'needs_authorization' && server.perUser) {
    return `server '${ref.server}' uses each person's own account, and none works yet to list its ${kind}s: connect yours (\`canopy connect ${ref.server}\` or the Connections page), then try again`;
  }
  if (status === 'needs_authorization') {
    return `server '${ref.server}' needs authorization: run \`canopy authorize ${ref.server}\` or open Canopy`;
  }
  if (status === 'error') return `server '${ref.server}' is not running: ${connection?.state.lastError ?? 'it failed to start'}`;
  if (!isListed(connection) && (status === 'starting' || status === 'stopped')) return `server '${ref.server}' is starting; try again in a moment`;
  if (!isListed(connection) && status === 'crashed') return `server '${ref.server}' is not running: ${connection?.state.lastError}`;
  // A renamed tool asked for by its new name: its switch is under the upstream's name.
  const renamed = kind === 'tool' ? connection?.catalog?.tools.find((tool) => source.toolOverride(ref.server, tool.name)?.name === ref.name) : undefined;
  const upstreamName = renamed?.name ?? ref.name;
  if (!source.isItemEnabled(ref.server, kind, upstreamName)) {
    const name = qualifiedName(ref.server, upstreamName);
    return `${kind} '${name}' is disabled: enable it with \`canopy enable ${kind} ${name}\``;
  }
  // Asked by the upstream's own name (or the server's name) while it is listed otherwise (alias, override, short form).
  const listedAs = view?.exposedName(kind, ref.server, upstreamName);
  if (listedAs !== undefined) return `${kind} '${exposed}' is listed as '${listedAs}': call it by that name`;
  return `unknown ${kind} '${exposed}'`;
}
