// Typed HTTP client of the admin API. Uses only `fetch`, so the CLI (Node) and the renderer
// (browser) share it.
import {
  API_PREFIX,
  NDJSON,
  type InvokeStreamLine,
  type Progress,
  type AuditEntryView,
  type AuditQuery,
  type CreateClientBody,
  type CreateUserBody,
  type GroupConfig,
  type GroupView,
  type InitBody,
  type IssuedToken,
  type McpClientView,
  type TokenOptions,
  type UpdateClientBody,
  type UpdateUserBody,
  type CreateOAuthClientRuleBody,
  type OAuthClientRulesView,
  type OAuthClientRuleView,
  type UnlistedOAuthClients,
  type UpdateOAuthClientRuleBody,
  type UserView,
  type WhoAmIView,
  type AuthorizeResult,
  type ConnectionView,
  type ConnectTokenBody,
  type ErrorBody,
  type ErrorCode,
  type DeregisterServerResult,
  type ExportView,
  type InvokeToolBody,
  type InvokeToolResult,
  type LogsView,
  type PromptView,
  type RegisterServerBody,
  type RegisterServerResult,
  type ReadResourceBody,
  type ReadResourceView,
  type ResourceView,
  type ServerView,
  type StatusView,
  type ToolOverrideBody,
  type ToolOverrideView,
  type ToolView,
  type MigrateAppBody,
  type MigrateAppResult,
  type SetupScanView,
  type UndoMigrationResult,
} from './contract.ts';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface AdminClientOptions {
  /** e.g. http://127.0.0.1:7450; '' for same-origin requests from the web UI. */
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
}

export class AdminClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: AdminClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Sends a request; answers the response when it is OK, else throws its error as an ApiError. */
  private async send(method: string, path: string, body?: unknown, options: { accept?: string; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    // The gateway takes changes only as JSON (a web page of another site cannot send that), body or not.
    if (method !== 'GET') headers['content-type'] = 'application/json';
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${API_PREFIX}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new ApiError(
        'network',
        `cannot reach Canopy at ${this.baseUrl || 'this page'}${cause ? ` (${cause})` : ''}: is it running? Start it with \`canopy serve\` or open the Canopy app`,
        0,
      );
    }
    if (!response.ok) {
      const text = await response.text();
      const error = text ? (JSON.parse(text) as ErrorBody | undefined)?.error : undefined;
      throw new ApiError(error?.code ?? 'internal', error?.message ?? `HTTP ${response.status}`, response.status);
    }
    return response;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const text = await (await this.send(method, path, body)).text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  status = () => this.call<StatusView>('GET', '/status');

  listServers = () => this.call<ServerView[]>('GET', '/servers');
  getServer = (name: string) => this.call<ServerView>('GET', `/servers/${encodeURIComponent(name)}`);
  registerServer = (body: RegisterServerBody) => this.call<RegisterServerResult>('POST', '/servers', body);
  deregisterServer = (name: string) => this.call<DeregisterServerResult>('DELETE', `/servers/${encodeURIComponent(name)}`);
  setServerEnabled = (name: string, enabled: boolean) =>
    this.call<ServerView>('POST', `/servers/${encodeURIComponent(name)}/${enabled ? 'enable' : 'disable'}`);
  restartServer = (name: string) => this.call<ServerView>('POST', `/servers/${encodeURIComponent(name)}/restart`);
  serverLogs = (name: string) => this.call<LogsView>('GET', `/servers/${encodeURIComponent(name)}/logs`);
  authorizeServer = (name: string) => this.call<AuthorizeResult>('POST', `/servers/${encodeURIComponent(name)}/authorize`);

  listTools = (server?: string) => this.call<ToolView[]>('GET', `/tools${server ? `?server=${encodeURIComponent(server)}` : ''}`);
  getTool = (name: string) => this.call<ToolView>('GET', `/tools/${encodeURIComponent(name)}`);
  setToolEnabled = (name: string, enabled: boolean) =>
    this.call<ToolView>('POST', `/tools/${encodeURIComponent(name)}/${enabled ? 'enable' : 'disable'}`);
  /** Changes a tool's name, description or switch (null or "" puts back the upstream's). */
  setToolOverride = (name: string, body: ToolOverrideBody) => this.call<ToolOverrideView>('PATCH', `/tools/${encodeURIComponent(name)}/override`, body);
  /** Puts back the upstream's name and description and shows the tool. */
  clearToolOverride = (name: string) => this.call<ToolOverrideView>('DELETE', `/tools/${encodeURIComponent(name)}/override`);
  listOverrides = (server?: string) => this.call<ToolOverrideView[]>('GET', `/overrides${server ? `?server=${encodeURIComponent(server)}` : ''}`);
  invokeTool = (name: string, input: Record<string, unknown>) =>
    this.call<InvokeToolResult>('POST', `/tools/${encodeURIComponent(name)}/invoke`, { input } satisfies InvokeToolBody);
  /**
   * Like `invokeTool`, reporting the upstream's progress as it comes; aborting `signal` cancels the
   * call on the upstream (notifications/cancelled).
   */
  invokeToolStreaming = async (name: string, input: Record<string, unknown>, options: { onprogress?: (progress: Progress) => void; signal?: AbortSignal } = {}) => {
    const response = await this.send('POST', `/tools/${encodeURIComponent(name)}/invoke`, { input } satisfies InvokeToolBody, { accept: NDJSON, signal: options.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += value;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffered.slice(0, newline)) as InvokeStreamLine;
        buffered = buffered.slice(newline + 1);
        if ('progress' in line) options.onprogress?.(line.progress);
        else if ('result' in line) return line.result;
        else throw new ApiError(line.error.code, line.error.message, 200);
      }
    }
    throw new ApiError('internal', `the call of '${name}' ended without a result`, 200);
  };

  listPrompts = (server?: string) => this.call<PromptView[]>('GET', `/prompts${server ? `?server=${encodeURIComponent(server)}` : ''}`);
  setPromptEnabled = (name: string, enabled: boolean) =>
    this.call<PromptView>('POST', `/prompts/${encodeURIComponent(name)}/${enabled ? 'enable' : 'disable'}`);

  listResources = (server?: string) =>
    this.call<ResourceView[]>('GET', `/resources${server ? `?server=${encodeURIComponent(server)}` : ''}`);
  readResource = (uri: string) => this.call<ReadResourceView>('POST', '/resources/read', { uri } satisfies ReadResourceBody);

  exportServers = () => this.call<ExportView>('GET', '/export');

  // ---- moving the user's apps into Canopy (development mode) ----

  scanApps = () => this.call<SetupScanView>('GET', '/setup/apps');
  migrateApp = (app: string, body: MigrateAppBody = {}) => this.call<MigrateAppResult>('POST', `/setup/apps/${encodeURIComponent(app)}/migrate`, body);
  undoMigration = (app: string) => this.call<UndoMigrationResult>('POST', `/setup/apps/${encodeURIComponent(app)}/undo`);
  dismissFirstRun = (dismissed = true) => this.call<{ firstRun: boolean }>('PUT', '/setup/first-run', { dismissed });

  // ---- enterprise mode ----

  /** Creates the first administrator; answers its token (shown once). */
  init = (body: InitBody = {}) => this.call<UserView & IssuedToken>('POST', '/init', body);
  whoami = () => this.call<WhoAmIView>('GET', '/whoami');

  listUsers = () => this.call<UserView[]>('GET', '/users');
  /** A user who signs in with SSO (`sso: true`) gets no token; any other is answered with theirs, shown this once. */
  createUser: {
    (body: CreateUserBody & { sso: true }): Promise<UserView>;
    (body: CreateUserBody): Promise<UserView & IssuedToken>;
  } = (body: CreateUserBody) => this.call<UserView & IssuedToken>('POST', '/users', body);
  updateUser = (name: string, body: UpdateUserBody) => this.call<UserView>('PATCH', `/users/${encodeURIComponent(name)}`, body);
  deleteUser = (name: string) => this.call<void>('DELETE', `/users/${encodeURIComponent(name)}`);
  rotateUserToken = (name: string, options: TokenOptions = {}) =>
    this.call<IssuedToken>('POST', `/users/${encodeURIComponent(name)}/rotate`, options);

  listClients = () => this.call<McpClientView[]>('GET', '/clients');
  createClient = (body: CreateClientBody) => this.call<McpClientView & IssuedToken>('POST', '/clients', body);
  updateClient = (name: string, body: UpdateClientBody) => this.call<McpClientView>('PATCH', `/clients/${encodeURIComponent(name)}`, body);
  deleteClient = (name: string) => this.call<void>('DELETE', `/clients/${encodeURIComponent(name)}`);
  rotateClientToken = (name: string, options: TokenOptions = {}) =>
    this.call<IssuedToken>('POST', `/clients/${encodeURIComponent(name)}/rotate`, options);

  listOAuthClientRules = () => this.call<OAuthClientRulesView>('GET', '/oauth-clients');
  createOAuthClientRule = (body: CreateOAuthClientRuleBody) => this.call<OAuthClientRuleView>('POST', '/oauth-clients', body);
  updateOAuthClientRule = (clientId: string, body: UpdateOAuthClientRuleBody) =>
    this.call<OAuthClientRuleView>('PATCH', `/oauth-clients?client_id=${encodeURIComponent(clientId)}`, body);
  deleteOAuthClientRule = (clientId: string) => this.call<void>('DELETE', `/oauth-clients?client_id=${encodeURIComponent(clientId)}`);
  setUnlistedOAuthClients = (unlisted: UnlistedOAuthClients) => this.call<OAuthClientRulesView>('PUT', '/oauth-clients/unlisted', { unlisted });

  listGroups = () => this.call<GroupView[]>('GET', '/groups');
  getGroup = (name: string) => this.call<GroupView>('GET', `/groups/${encodeURIComponent(name)}`);
  createGroup = (config: GroupConfig) => this.call<GroupView>('POST', '/groups', config);
  updateGroup = (name: string, config: Omit<GroupConfig, 'name'>) => this.call<GroupView>('PUT', `/groups/${encodeURIComponent(name)}`, config);
  deleteGroup = (name: string) => this.call<void>('DELETE', `/groups/${encodeURIComponent(name)}`);

  // ---- the signed-in user's own accounts of per-user servers ----

  listConnections = () => this.call<ConnectionView[]>('GET', '/connections');
  /** Connects the server with a personal token (replacing what was connected). */
  connectWithToken = (server: string, token: string) =>
    this.call<void>('PUT', `/connections/${encodeURIComponent(server)}/token`, { token } satisfies ConnectTokenBody);
  /** Begins OAuth for the user's own account of the server: the URL to open. */
  connectWithOAuth = (server: string) => this.call<AuthorizeResult>('POST', `/connections/${encodeURIComponent(server)}/authorize`);
  disconnect = (server: string) => this.call<void>('DELETE', `/connections/${encodeURIComponent(server)}`);

  audit = (query: AuditQuery = {}) => {
    const params = new URLSearchParams(
      Object.entries(query).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
    ).toString();
    return this.call<AuditEntryView[]>('GET', `/audit${params ? `?${params}` : ''}`);
  };
}
