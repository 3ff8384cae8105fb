// The rules that narrow what a caller sees: a tool group's rules, the allow-lists of MCP clients,
// users and OAuth clients, and the meet of two lists (an OAuth token reaches what both its user and
// its client allow). All are ItemFilters, so the catalog applies them the same way to every list
// and every call.
import { NAME_SEPARATOR, qualifiedName } from '../config/names.ts';
import type { ItemFilter } from '../gateway/catalog.ts';
import type { ToolGroupContent } from '../store/tool-groups.ts';

/** Whole servers (tools, prompts, resources), single tools/prompts by `server__name`; exclusions win. */
export class GroupRules implements ItemFilter {
  readonly key: string;
  private readonly servers: Set<string>;
  private readonly items: Set<string>;
  private readonly excluded: Set<string>;

  constructor(group: ToolGroupContent) {
    this.key = `group:${group.name}`;
    this.servers = new Set(group.includedServers);
    this.items = new Set(group.includedTools);
    this.excluded = new Set(group.excludedTools);
  }

  allows(server: string, kind: 'tool' | 'prompt' | 'resource', name: string): boolean {
    if (kind === 'resource') return this.servers.has(server);
    const qualified = qualifiedName(server, name);
    if (this.excluded.has(qualified)) return false;
    return this.servers.has(server) || this.items.has(qualified);
  }

  /** Whether anything of `server` may be in the group. */
  touches(server: string): boolean {
    const prefix = `${server}${NAME_SEPARATOR}`;
    return this.servers.has(server) || [...this.items].some((item) => item.startsWith(prefix));
  }
}

/** A filter that also says which endpoints it opens: `/servers/{name}/mcp` and `/groups/{name}/mcp` answer 403 otherwise. */
export interface AccessList extends ItemFilter {
  /** Whether anything on `server` is granted. */
  reachesServer(server: string): boolean;
  /** Whether the group's endpoint is open. */
  reachesGroup(group: string): boolean;
}

/**
 * An allow-list (of an MCP client, a user or an OAuth client). An entry is `*` (everything), a
 * server name (its tools, prompts and resources), `server__name` (one tool or prompt), or a group
 * name (what the group holds). A name that is both a server and a group grants both.
 */
export class AllowList implements AccessList {
  constructor(
    /** Names whose list it is (`client:NAME`, `user:NAME`, `oauth-client:ID`): views are cached by it. */
    readonly key: string,
    readonly entries: readonly string[],
    private readonly groups: (name: string) => GroupRules | undefined,
  ) {}

  allows(server: string, kind: 'tool' | 'prompt' | 'resource', name: string): boolean {
    return this.entries.some(
      (entry) =>
        entry === '*' ||
        entry === server ||
        (kind !== 'resource' && entry === qualifiedName(server, name)) ||
        Boolean(this.groups(entry)?.allows(server, kind, name)),
    );
  }

  /** Whether the list grants anything on `server` (else its endpoint answers 403). */
  reachesServer(server: string): boolean {
    const prefix = `${server}${NAME_SEPARATOR}`;
    return this.entries.some(
      (entry) => entry === '*' || entry === server || entry.startsWith(prefix) || Boolean(this.groups(entry)?.touches(server)),
    );
  }

  /** A group's endpoint needs the group itself (or `*`) on the list. */
  reachesGroup(group: string): boolean {
    return this.entries.includes('*') || this.entries.includes(group);
  }
}

/** Grants what both lists grant. Reaching an endpoint takes both, too (which may still leave its lists empty). */
export class BothAllowed implements AccessList {
  readonly key: string;

  constructor(
    private readonly first: AccessList,
    private readonly second: AccessList,
  ) {
    this.key = `${first.key}&${second.key}`;
  }

  allows(server: string, kind: 'tool' | 'prompt' | 'resource', name: string): boolean {
    return this.first.allows(server, kind, name) && this.second.allows(server, kind, name);
  }

  reachesServer(server: string): boolean {
    return this.first.reachesServer(server) && this.second.reachesServer(server);
  }

  reachesGroup(group: string): boolean {
    return this.first.reachesGroup(group) && this.second.reachesGroup(group);
  }
}

/** Allows nothing: the filter of an identity that no longer exists. */
export const DENY_ALL: AccessList = { key: 'deny-all', allows: () => false, reachesServer: () => false, reachesGroup: () => false };
