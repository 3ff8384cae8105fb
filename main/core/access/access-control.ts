// Who may do what, as this gateway currently knows it: users, MCP clients and tool groups loaded
// from the store. Requests are authenticated against this in-memory picture (no database round
// trip per request); `reload()` refreshes it after any change, on this replica or another.
import type { Store } from '../store/open.ts';
import type { UserRole } from '../model/identities.ts';
import type { McpClientRecord } from '../store/mcp-clients.ts';
import type { ItemFilter } from '../gateway/catalog.ts';
import type { Caller } from '../gateway/mcp-endpoints.ts';
import { AllowList, DENY_ALL, GroupRules } from './item-rules.ts';
import { hashToken, sameHash } from './tokens.ts';

/** Set (once, transactionally) by the first successful `canopy init-server`. */
export const INITIALIZED_SETTING = 'enterprise.initialized_at';

export type Principal =
  | { kind: 'user'; name: string; role: UserRole }
  | { kind: 'client'; name: string; allowList: AllowList };

export type Authentication = { ok: true; principal: Principal } | { ok: false; reason: string };

/** How sessions and the audit log name an identity: `client:NAME` or `user:NAME`. */
function identityKey(principal: { kind: 'user' | 'client'; name: string }): string {
  return `${principal.kind}:${principal.name}`;
}

interface Holder {
  key: string;
  tokenHash: string;
  tokenExpiresAt?: string;
  principal: Principal;
}

export class AccessControl {
  private holders = new Map<string, Holder>();
  private groups = new Map<string, GroupRules>();
  private allowLists = new Map<string, AllowList>();
  private initializedFlag = false;

  constructor(private readonly store: Store) {}

  get initialized(): boolean {
    return this.initializedFlag;
  }

  /**
   * Loads identities and groups again. Returns the identities whose token stopped working (deleted
   * or rotated), so their open sessions can be closed.
   */
  async reload(): Promise<string[]> {
    const [users, clients, groups, initialized] = await Promise.all([
      this.store.users.list(),
      this.store.mcpClients.list(),
      this.store.toolGroups.list(),
      this.store.settings.get(INITIALIZED_SETTING),
    ]);
    this.groups = new Map(groups.map((group) => [group.name, new GroupRules(group)]));
    this.allowLists = new Map(clients.map((client) => [client.name, this.allowListOf(client)]));
    const holders = new Map<string, Holder>();
    for (const user of users) {
      const principal: Principal = { kind: 'user', name: user.name, role: user.role };
      holders.set(user.tokenHash, { key: identityKey(principal), tokenHash: user.tokenHash, tokenExpiresAt: user.tokenExpiresAt, principal });
    }
    for (const client of clients) {
      const principal: Principal = { kind: 'client', name: client.name, allowList: this.allowLists.get(client.name)! };
      holders.set(client.tokenHash, { key: identityKey(principal), tokenHash: client.tokenHash, tokenExpiresAt: client.tokenExpiresAt, principal });
    }
    const stillValid = new Set([...holders.values()].map((h) => `${h.key}\u0000${h.tokenHash}`));
    const revoked = [...this.holders.values()].filter((h) => !stillValid.has(`${h.key}\u0000${h.tokenHash}`)).map((h) => h.key);
    this.holders = holders;
    this.initializedFlag = initialized !== undefined;
    return revoked;
  }

  /** Checks a bearer token. The lookup key is the token's hash, so timing reveals nothing about the token. */
  authenticate(token: string | undefined, now = new Date()): Authentication {
    if (!token) return { ok: false, reason: 'this gateway needs an access token: send "Authorization: Bearer <token>"' };
    const hash = hashToken(token);
    const holder = this.holders.get(hash);
    if (!holder || !sameHash(holder.tokenHash, hash)) return { ok: false, reason: 'the access token is not valid (revoked, rotated or mistyped)' };
    if (holder.tokenExpiresAt && Date.parse(holder.tokenExpiresAt) <= now.getTime()) {
      const { kind, name } = holder.principal;
      return { ok: false, reason: `the access token of ${kind} '${name}' expired at ${holder.tokenExpiresAt}: rotate it` };
    }
    return { ok: true, principal: holder.principal };
  }

  /** The earliest token expiry after `now` (ms since the epoch); undefined when no token will expire. */
  nextExpiry(now = Date.now()): number | undefined {
    let next: number | undefined;
    for (const { tokenExpiresAt } of this.holders.values()) {
      const at = tokenExpiresAt ? Date.parse(tokenExpiresAt) : NaN;
      if (at > now && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** Identities whose token has expired by `now`. */
  expiredIdentities(now = Date.now()): string[] {
    return [...this.holders.values()].filter((h) => h.tokenExpiresAt && Date.parse(h.tokenExpiresAt) <= now).map((h) => h.key);
  }

  /** The current allow-list of a client; allows nothing once the client is gone. */
  clientFilter(name: string): ItemFilter {
    return this.allowLists.get(name) ?? DENY_ALL;
  }

  /** How the gateway sees an identity's calls (its allow-list applies on the admin API's invoke too). */
  callerOf(principal: Principal | undefined): Caller {
    if (!principal) return {};
    if (principal.kind === 'user') return { identity: identityKey(principal) };
    return { identity: identityKey(principal), filter: () => this.clientFilter(principal.name) };
  }

  group(name: string): GroupRules | undefined {
    return this.groups.get(name);
  }

  private allowListOf(client: McpClientRecord): AllowList {
    return new AllowList(client.name, client.allow, (name) => this.groups.get(name));
  }
}
