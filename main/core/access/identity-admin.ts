// Administration of identities: the first administrator (init), users and MCP clients, their
// tokens. Every write is one transaction; afterwards `committed()` reloads this gateway's picture
// and tells the other replicas. Tokens leave here once, in the answer; only hashes are stored.
import { serverNameProblem, splitQualifiedName } from '../config/names.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { Store } from '../store/open.ts';
import type { UserRecord } from '../store/users.ts';
import type { McpClientRecord } from '../store/mcp-clients.ts';
import type {
  CreateClientBody,
  CreateUserBody,
  IssuedToken,
  McpClientView,
  TokenOptions,
  UpdateClientBody,
  UpdateUserBody,
  UserRole,
  UserView,
} from '../model/identities.ts';
import { INITIALIZED_SETTING } from './access-control.ts';
import { checkCustomToken, generateToken, hashToken } from './tokens.ts';

export interface IdentityAdminOptions {
  store: Store;
  /** Called after each committed write: reload access here, notify replicas. */
  committed: () => Promise<void>;
  /** A deleted user's per-user upstream credentials (their rows went with the user): their secrets go too. */
  credentialsDropped?: (rows: { user: string; server: string }[]) => Promise<void>;
}

/** Checks a user, client or group name (the server-name rules, so allow-list entries stay unambiguous). */
export function checkIdentityName(name: string, what: string): void {
  const problem = serverNameProblem(name);
  if (problem) throw badRequest(`${what} name '${name}' ${problem}`);
}

/** Checks allow-list entries (of an MCP client, a user or an OAuth client) and drops repeats. */
export function checkAllowList(allow: string[]): string[] {
  for (const entry of allow) {
    if (entry === '*') continue;
    const split = splitQualifiedName(entry);
    const problem = serverNameProblem(split ? split.server : entry);
    if (problem) throw badRequest(`allow-list entry '${entry}' is not '*', a server or group name, or server__tool: the name ${problem}`);
  }
  return [...new Set(allow)];
}

/** A custom or generated token, its hash, and its expiry. */
function issueToken(options: TokenOptions, now = Date.now()): { token: string; hash: string; expiresAt?: string } {
  if (options.token !== undefined) checkCustomToken(options.token);
  let expiresAt: string | undefined;
  if (options.expiresAt !== undefined) {
    const at = Date.parse(options.expiresAt);
    if (Number.isNaN(at)) throw badRequest(`expiresAt '${options.expiresAt}' is not a date and time (ISO 8601)`);
    if (at <= now) throw badRequest(`expiresAt '${options.expiresAt}' is in the past`);
    expiresAt = new Date(at).toISOString();
  }
  const token = options.token ?? generateToken();
  return { token, hash: hashToken(token), ...(expiresAt ? { expiresAt } : {}) };
}

const userView = (user: UserRecord): UserView => ({
  name: user.name,
  role: user.role,
  allow: user.allow,
  ...(user.tokenExpiresAt ? { tokenExpiresAt: user.tokenExpiresAt } : {}),
  ...(user.email ? { email: user.email } : {}),
  ssoLinked: user.ssoSubject !== undefined,
  disabled: user.disabled,
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
});

const clientView = (client: McpClientRecord): McpClientView => ({
  name: client.name,
  description: client.description,
  allow: client.allow,
  ...(client.tokenExpiresAt ? { tokenExpiresAt: client.tokenExpiresAt } : {}),
  createdAt: client.createdAt,
  updatedAt: client.updatedAt,
});

export class IdentityAdmin {
  constructor(private readonly options: IdentityAdminOptions) {}

  private get store(): Store {
    return this.options.store;
  }

  /**
   * Creates the first administrator. Exactly one of racing calls wins: the initialized flag is
   * claimed in the same transaction as the user is created.
   */
  async initialize(body: { name?: string } & TokenOptions): Promise<UserView & IssuedToken> {
    const name = body.name ?? 'admin';
    checkIdentityName(name, 'user');
    const issued = issueToken(body);
    const user = await this.store.transaction(async (tx) => {
      if (!(await tx.settings.claim(INITIALIZED_SETTING, new Date().toISOString()))) {
        throw conflict('this gateway is already initialized: ask an administrator for a token, then `canopy login TOKEN`');
      }
      return tx.users.insert({ name, role: 'admin', tokenHash: issued.hash, tokenExpiresAt: issued.expiresAt });
    });
    await this.options.committed();
    return { ...userView(user), token: issued.token };
  }

  // ---- users ----

  async listUsers(): Promise<UserView[]> {
    return (await this.store.users.list()).map(userView);
  }

  /** A user with a token (shown once), or, with `sso`, one who signs in only with the company's SSO. */
  async createUser(body: CreateUserBody): Promise<UserView & Partial<IssuedToken>> {
    checkIdentityName(body.name, 'user');
    const allow = body.allow ? checkAllowList(body.allow) : undefined;
    if (body.sso && (body.token !== undefined || body.expiresAt !== undefined)) {
      throw badRequest('a user who signs in with SSO gets no token: leave out the token and its expiry');
    }
    const issued = body.sso ? undefined : issueToken(body);
    const role: UserRole = body.role ?? 'user';
    const user = await this.store.transaction(async (tx) => {
      if (await tx.users.get(body.name)) throw conflict(`a user named '${body.name}' exists: pick another name, or rotate its token`);
      return tx.users.insert({ name: body.name, role, tokenHash: issued?.hash, tokenExpiresAt: issued?.expiresAt, allow });
    });
    await this.options.committed();
    return { ...userView(user), ...(issued ? { token: issued.token } : {}) };
  }

  /** Changes a user's allow-list (what their OAuth access tokens may reach), role or disabled state; open sessions see it at once. */
  async updateUser(name: string, body: UpdateUserBody): Promise<UserView> {
    const allow = body.allow ? checkAllowList(body.allow) : undefined;
    const user = await this.store.transaction(async (tx) => {
      const current = await tx.users.get(name);
      if (!current) throw notFound(`no user named '${name}': see \`canopy list users\``);
      const demoted = body.role === 'user';
      if ((body.disabled || demoted) && current.role === 'admin') {
        await tx.users.lockAdmins();
        const others = (await tx.users.list()).filter((user) => user.role === 'admin' && !user.disabled && user.name !== name);
        if (others.length === 0) throw conflict(`'${name}' is the last enabled administrator: create or enable another admin before ${demoted ? 'demoting' : 'disabling'} it`);
      }
      await tx.users.update(name, { allow, role: body.role, disabled: body.disabled });
      return (await tx.users.get(name))!;
    });
    await this.options.committed();
    return userView(user);
  }

  /** Deletes a user (its token stops at once); the last administrator stays. */
  async deleteUser(name: string): Promise<void> {
    const connected = await this.store.transaction(async (tx) => {
      const user = await tx.users.get(name);
      if (!user) throw notFound(`no user named '${name}': see \`canopy list users\``);
      const admins = await tx.users.lockAdmins();
      if (user.role === 'admin' && admins.length <= 1) {
        throw conflict(`'${name}' is the last administrator: create another admin (\`canopy create user NAME --role admin\`) before deleting it`);
      }
      const rows = await tx.userCredentials.listByUser(name);
      await tx.users.delete(name);
      return rows;
    });
    await this.options.committed();
    if (connected.length > 0) await this.options.credentialsDropped?.(connected);
  }

  async rotateUserToken(name: string, options: TokenOptions = {}): Promise<IssuedToken> {
    const issued = issueToken(options);
    if (!(await this.store.users.replaceToken(name, issued.hash, issued.expiresAt))) {
      throw notFound(`no user named '${name}': see \`canopy list users\``);
    }
    await this.options.committed();
    return { token: issued.token };
  }

  // ---- MCP clients ----

  async listClients(): Promise<McpClientView[]> {
    return (await this.store.mcpClients.list()).map(clientView);
  }

  async createClient(body: CreateClientBody): Promise<McpClientView & IssuedToken> {
    checkIdentityName(body.name, 'MCP client');
    const allow = checkAllowList(body.allow);
    const issued = issueToken(body);
    const client = await this.store.transaction(async (tx) => {
      if (await tx.mcpClients.get(body.name)) {
        throw conflict(`an MCP client named '${body.name}' exists: pick another name, or update or rotate it`);
      }
      return tx.mcpClients.insert({
        name: body.name,
        description: body.description ?? '',
        allow,
        tokenHash: issued.hash,
        tokenExpiresAt: issued.expiresAt,
      });
    });
    await this.options.committed();
    return { ...clientView(client), token: issued.token };
  }

  async updateClient(name: string, body: UpdateClientBody): Promise<McpClientView> {
    const allow = body.allow ? checkAllowList(body.allow) : undefined;
    const client = await this.store.transaction(async (tx) => {
      if (!(await tx.mcpClients.update(name, { allow, description: body.description }))) {
        throw notFound(`no MCP client named '${name}': see \`canopy list mcp-clients\``);
      }
      return (await tx.mcpClients.get(name))!;
    });
    await this.options.committed();
    return clientView(client);
  }

  async deleteClient(name: string): Promise<void> {
    if (!(await this.store.mcpClients.delete(name))) throw notFound(`no MCP client named '${name}': see \`canopy list mcp-clients\``);
    await this.options.committed();
  }

  async rotateClientToken(name: string, options: TokenOptions = {}): Promise<IssuedToken> {
    const issued = issueToken(options);
    if (!(await this.store.mcpClients.replaceToken(name, issued.hash, issued.expiresAt))) {
      throw notFound(`no MCP client named '${name}': see \`canopy list mcp-clients\``);
    }
    await this.options.committed();
    return { token: issued.token };
  }
}
