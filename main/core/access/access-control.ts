// Who may do what, as this gateway currently knows it: users, MCP clients, OAuth client rules and
// tool groups loaded from the store. Requests are authenticated against this in-memory picture (no
// database round trip per request); `reload()` refreshes it after any change, on this replica or another.
import type { Store } from '../store/open.ts';
import type { UnlistedOAuthClients, UserRole } from '../model/identities.ts';
import type { ItemFilter } from '../gateway/catalog.ts';
import type { Caller } from '../gateway/mcp-endpoints.ts';
import { AllowList, BothAllowed, DENY_ALL, GroupRules, type AccessList } from './item-rules.ts';
import { hashToken, sameHash } from './tokens.ts';

/** Set (once, transactionally) by the first successful `canopy init-server`. */
export const INITIALIZED_SETTING = 'enterprise.initialized_at';

/** `refuse`: OAuth clients without a rule get no access. Unset or `allow`: they reach what their user's list allows. */
export const UNLISTED_OAUTH_CLIENTS_SETTING = 'oauth.unlisted_clients';

export type Principal =
  | { kind: 'user'; name: string; role: UserRole }
  | { kind: 'client'; name: string; allowList: AllowList };

/** Why a disabled user is refused, and who can change that. */
function disabledReason(name: string): string {
  return `user '${name}' is disabled: an administrator can enable it again (\`canopy update user ${name} --enable\`)`;
}

/** `known`: the token is one of this gateway's own (expired); otherwise it may be an OAuth access token. */
export type Authentication = { ok: true; principal: Principal } | { ok: false; reason: string; known: boolean };

/** What an OAuth access token may do, or why it may do nothing. */
export type OAuthAccess = { ok: true; caller: Caller; list: AccessList } | { ok: false; reason: string };

/** A user who may act, and since when this user exists (a grant older than that was another user's of the name). */
type ActiveUser = Principal & { kind: 'user'; since: string };

/** How sessions and the audit log name an identity: `client:NAME` or `user:NAME`. */
function identityKey(principal: { kind: 'user' | 'client'; name: string }): string {
  return `${principal.kind}:${principal.name}`;
}

interface Holder {
  key: string;
  tokenHash: string;
  tokenExpiresAt?: string;
  principal: Principal;
  /** A disabled user's token is known (to say so) but refused. */
  disabled?: boolean;
}

export class AccessControl {
  private holders = new Map<string, Holder>();
  private groups = new Map<string, GroupRules>();
  private allowLists = new Map<string, AllowList>();
  /** Allow-lists of the users who may act (not disabled). */
  private userLists = new Map<string, AllowList>();
  private activeUsers = new Map<string, ActiveUser>();
  private disabledUsers = new Set<string>();
  private oauthClientLists = new Map<string, AllowList>();
  private unlistedOAuthClients: UnlistedOAuthClients = 'allow';
  /** The identity keys OAuth callers were given, by user: their sessions close when the user goes. */
  private oauthIdentities = new Map<string, Set<string>>();
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
    const [users, clients, groups, oauthRules, unlisted, initialized] = await Promise.all([
      this.store.users.list(),
      this.store.mcpClients.list(),
      this.store.toolGroups.list(),
      this.store.oauthClientRules.list(),
      this.store.settings.get(UNLISTED_OAUTH_CLIENTS_SETTING),
      this.store.settings.get(INITIALIZED_SETTING),
    ]);
    this.groups = new Map(groups.map((group) => [group.name, new GroupRules(group)]));
    this.allowLists = new Map(clients.map((client) => [client.name, this.allowList(`client:${client.name}`, client.allow)]));
    const active = users.filter((user) => !user.disabled);
    this.userLists = new Map(active.map((user) => [user.name, this.allowList(`user:${user.name}`, user.allow)]));
    this.activeUsers = new Map(active.map((user) => [user.name, { kind: 'user', name: user.name, role: user.role, since: user.createdAt }]));
    this.disabledUsers = new Set(users.filter((user) => user.disabled).map((user) => user.name));
    this.oauthClientLists = new Map(oauthRules.map((rule) => [rule.clientId, this.allowList(`oauth-client:${rule.clientId}`, rule.allow)]));
    this.unlistedOAuthClients = unlisted === 'refuse' ? 'refuse' : 'allow';
    const holders = new Map<string, Holder>();
    for (const user of users) {
      // A user who signs in only through the company IdP has no static token.
      if (!user.tokenHash) continue;
      const principal: Principal = { kind: 'user', name: user.name, role: user.role };
      holders.set(user.tokenHash, { key: identityKey(principal), tokenHash: user.tokenHash, tokenExpiresAt: user.tokenExpiresAt, principal, disabled: user.disabled });
    }
    for (const client of clients) {
      const principal: Principal = { kind: 'client', name: client.name, allowList: this.allowLists.get(client.name)! };
      holders.set(client.tokenHash, { key: identityKey(principal), tokenHash: client.tokenHash, tokenExpiresAt: client.tokenExpiresAt, principal });
    }
    const stillValid = new Set([...holders.values()].filter((h) => !h.disabled).map((h) => `${h.key}\u0000${h.tokenHash}`));
    const revoked = [...this.holders.values()].filter((h) => !h.disabled && !stillValid.has(`${h.key}\u0000${h.tokenHash}`)).map((h) => h.key);
    for (const [user, identities] of this.oauthIdentities) {
      if (this.userLists.has(user)) continue;
      revoked.push(...identities);
      this.oauthIdentities.delete(user);
    }
    this.holders = holders;
    this.initializedFlag = initialized !== undefined;
    return revoked;
  }

  /** Checks a bearer token. The lookup key is the token's hash, so timing reveals nothing about the token. */
  authenticate(token: string | undefined, now = new Date()): Authentication {
    if (!token) return { ok: false, reason: 'this gateway needs an access token: send "Authorization: Bearer <token>"', known: false };
    const hash = hashToken(token);
    const holder = this.holders.get(hash);
    if (!holder || !sameHash(holder.tokenHash, hash)) return { ok: false, reason: 'the access token is not valid (revoked, rotated or mistyped)', known: false };
    if (holder.disabled) return { ok: false, reason: disabledReason(holder.principal.name), known: true };
    if (holder.tokenExpiresAt && Date.parse(holder.tokenExpiresAt) <= now.getTime()) {
      const { kind, name } = holder.principal;
      return { ok: false, reason: `the access token of ${kind} '${name}' expired at ${holder.tokenExpiresAt}: rotate it`, known: true };
    }
    return { ok: true, principal: holder.principal };
  }

  /**
   * A user who may act now (known and not disabled), for sign-ins that carry no static token (the
   * web UI's SSO session, the authorization server's grants); undefined otherwise.
   */
  activeUser(name: string): ActiveUser | undefined {
    return this.activeUsers.get(name);
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
    if (principal.kind === 'user') return { identity: identityKey(principal), user: principal.name };
    return { identity: identityKey(principal), filter: () => this.clientFilter(principal.name) };
  }

  /**
   * What a verified OAuth access token of `user`, issued to `clientId`, may reach: the user's
   * allow-list met with the client's rule (an unlisted client gets the user's list, unless unlisted
   * clients are refused). Calls and lists read the lists as they are when they run.
   */
  oauthAccess(user: string, clientId: string, issuedAt?: number): OAuthAccess {
    if (this.disabledUsers.has(user)) return { ok: false, reason: disabledReason(user) };
    const since = this.activeUsers.get(user)?.since;
    // A token from before the user existed was issued to an earlier user of the name (deleted since).
    if (!this.userLists.has(user) || (issuedAt !== undefined && since !== undefined && issuedAt < Math.floor(Date.parse(since) / 1000))) {
      return { ok: false, reason: `'${user}' is not a user of this gateway: an administrator can add them with \`canopy create user ${user}\`` };
    }
    if (!this.oauthClientLists.has(clientId) && this.unlistedOAuthClients === 'refuse') {
      return {
        ok: false,
        reason: `OAuth client '${clientId}' is not allowed on this gateway: an administrator can allow it with \`canopy create oauth-client-rule ${clientId} --allow ...\``,
      };
    }
    const identity = `user:${user} via ${clientId}`;
    const seen = this.oauthIdentities.get(user) ?? new Set<string>();
    this.oauthIdentities.set(user, seen.add(identity));
    return { ok: true, caller: { identity, user, filter: () => this.oauthList(user, clientId) }, list: this.oauthList(user, clientId) };
  }

  private oauthList(user: string, clientId: string): AccessList {
    const own = this.userLists.get(user);
    if (!own) return DENY_ALL;
    const rule = this.oauthClientLists.get(clientId);
    if (rule) return new BothAllowed(own, rule);
    return this.unlistedOAuthClients === 'allow' ? own : DENY_ALL;
  }

  group(name: string): GroupRules | undefined {
    return this.groups.get(name);
  }

  private allowList(key: string, entries: string[]): AllowList {
    return new AllowList(key, entries, (name) => this.groups.get(name));
  }
}
