// The admin API's request and response shapes (`/api/v0`). Shared by the gateway, the CLI and the
// renderer: type-only imports, so it adds nothing to the browser bundle.
import type { CallToolResult, Progress, ReadResourceResult, Tool } from '@modelcontextprotocol/sdk/types.js';

export type { Progress };
import type { ServerConfig, ServerConfigInput, Transport } from '../config/server-config.ts';
import type { UpstreamState } from '../upstream/types.ts';
import type { SecretStoreStatus } from '../secrets/secret-store.ts';
import type { AuditEntry } from '../store/audit-log.ts';
import type { BridgeLauncher } from '../connect-apps/entry.ts';
import type { AppId } from '../connect-apps/apps.ts';

export const API_PREFIX = '/api/v0';

export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'not_initialized'
  | 'upstream_error'
  | 'payload_too_large'
  | 'unavailable'
  | 'internal';

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export type GatewayMode = 'development' | 'enterprise';

export interface StatusView {
  version: string;
  mode: GatewayMode;
  /** The aggregated MCP endpoint, e.g. http://127.0.0.1:7450/mcp. */
  mcpUrl: string;
  store: { kind: 'sqlite' | 'postgres'; description: string };
  secrets: SecretStoreStatus;
  /** How to run this installation's `canopy` command; absent when the gateway was not told (tests, embedders). */
  cli?: CliLaunch;
}

/** This installation's `canopy` command, for config snippets that must work when pasted. */
export interface CliLaunch {
  /** Program + arguments before the subcommand, all absolute (apps do not get the shell's PATH). */
  launcher: BridgeLauncher;
  /** The same for a terminal: `canopy` when that is on PATH, else the quoted absolute launcher; absent when no full CLI exists. */
  commandLine?: string;
}

/** A server config as the API shows it: secret values replaced by REDACTED. */
export type RedactedServerConfig = ServerConfig;
export const REDACTED = '********';

export interface ServerView {
  name: string;
  transport: Transport;
  description: string;
  enabled: boolean;
  state: UpstreamState;
  toolCount: number;
  promptCount: number;
  resourceCount: number;
  config: RedactedServerConfig;
  createdAt: string;
  updatedAt: string;
}

export interface RegisterServerBody {
  config: ServerConfigInput;
  /** Replace an existing server of the same name. */
  force?: boolean;
  /** Register disabled (an import of a disabled entry). Default true. */
  enabled?: boolean;
}

export interface DeregisterServerResult {
  /** Tool groups the server (or some of its tools) was taken out of. */
  removedFromGroups: string[];
}

export interface RegisterServerResult {
  server: ServerView;
  /** The server was registered with this very config already: nothing changed. */
  unchanged?: true;
  /** Set when the upstream needs OAuth: open this URL to finish the registration. */
  authorizationUrl?: string;
  /** Things the user should know (e.g. "headers.Authorization overrides bearer_token"). */
  warnings: string[];
}

/** What tools and prompts share: a `server__name` name, the upstream's own name, a switch. */
export interface CatalogItemView {
  /** `server__name` */
  name: string;
  server: string;
  /** The upstream's own name. */
  originalName: string;
  enabled: boolean;
  title?: string;
  description?: string;
}

export interface ToolView extends CatalogItemView {
  inputSchema: Tool['inputSchema'];
  outputSchema?: Tool['outputSchema'];
  annotations?: Tool['annotations'];
}

export interface PromptView extends CatalogItemView {
  arguments?: { name: string; description?: string; required?: boolean }[];
}

export interface ResourceView {
  /** The URI on the aggregated endpoint (`canopy://server/original`). */
  uri: string;
  server: string;
  originalUri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /** True for a resource template (`uri` is then an RFC 6570 template). */
  template: boolean;
}

export interface InvokeToolBody {
  input: Record<string, unknown>;
}
export type InvokeToolResult = CallToolResult;
/** The media type asking invoke to stream: one JSON object per line, `InvokeStreamLine`. */
export const NDJSON = 'application/x-ndjson';
/** A line of a streamed invoke: progress notifications, then the result or the error. */
export type InvokeStreamLine = { progress: Progress } | { result: InvokeToolResult } | { error: ErrorBody['error'] };

export interface ReadResourceBody {
  /** The exposed URI (`canopy://server/original`), as listed by GET /resources. */
  uri: string;
}
export type ReadResourceView = ReadResourceResult;

export interface LogsView {
  lines: string[];
}

export interface AuthorizeResult {
  authorizationUrl: string;
}

export interface ExportView {
  /** Registered servers as config files would hold them, secrets left out. */
  servers: (ServerConfig & { enabled: boolean })[];
}

// ---- enterprise mode: identities, groups, audit ----

export type UserRole = 'admin' | 'user';

export interface UserView {
  name: string;
  role: UserRole;
  /** ISO time after which the token stops working; absent: no expiry. */
  tokenExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface McpClientView {
  name: string;
  description: string;
  /** Server names, `server__tool`, group names, or `*`. */
  allow: string[];
  tokenExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** Create, rotate and init answer with the new token, shown this once. */
export interface IssuedToken {
  token: string;
}

/** `token`: a custom token (≥ 32 characters, no whitespace) instead of a generated one. */
export interface TokenOptions {
  token?: string;
  /** ISO time; absent: the token does not expire. */
  expiresAt?: string;
}

export interface CreateUserBody extends TokenOptions {
  name: string;
  /** Default `user`. */
  role?: UserRole;
}

export interface CreateClientBody extends TokenOptions {
  name: string;
  allow: string[];
  description?: string;
}

export interface UpdateClientBody {
  allow?: string[];
  description?: string;
}

/** POST /init: the first administrator. `initToken`: the bootstrap secret (not needed from loopback unless CANOPY_INIT_TOKEN is set). */
export interface InitBody extends TokenOptions {
  /** Default `admin`. */
  name?: string;
  initToken?: string;
}

export type WhoAmIView =
  | { kind: 'user'; name: string; role: UserRole }
  | { kind: 'client'; name: string; allow: string[] }
  /** A development-mode gateway: no identities, every request is allowed without a token. */
  | { kind: 'development' };

/** A tool group as a config file holds it (MCPJungle's format). */
export interface GroupConfig {
  name: string;
  description?: string;
  included_servers?: string[];
  /** `server__tool` (or `server__prompt`) names. */
  included_tools?: string[];
  /** `server__tool` names left out even when their server is included. */
  excluded_tools?: string[];
}

export interface GroupView {
  name: string;
  description: string;
  includedServers: string[];
  includedTools: string[];
  excludedTools: string[];
  /** The group's MCP endpoint, e.g. http://127.0.0.1:7450/groups/NAME/mcp. */
  mcpUrl: string;
  createdAt: string;
  updatedAt: string;
}

/** One audit log entry (`tool.call`, `prompt.get`, `resource.read`, or an admin change such as `POST /clients`). */
export type AuditEntryView = AuditEntry & { id: number };

export interface AuditQuery {
  client?: string;
  server?: string;
  /** ISO time, or a duration back from now: `30m`, `24h`, `7d`. */
  since?: string;
  /** Default 100, at most 1000. */
  limit?: number;
}

// ---- moving an app's servers into Canopy (development mode: they are this user's files) ----

/** One server an app's config holds, as the first-run view shows it (no secret values). */
export interface AppServerView {
  name: string;
  /** The command line, or the URL. */
  target: string;
  /** Names of the env variables and headers it passes (their values go to the secret store on import). */
  secretNames: string[];
  disabled: boolean;
  /** Set when Canopy cannot import this entry. */
  error?: string;
  /** Other apps holding the same server (same command line or URL). */
  alsoIn: string[];
  /** A server of this name is registered in Canopy already. */
  registered: boolean;
}

export interface AppScanView {
  app: AppId;
  displayName: string;
  path: string;
  found: boolean;
  servers: AppServerView[];
  /** Canopy's entry is in the file already. */
  connected: boolean;
  /** A migration of this app can be undone (its file as it was is kept). */
  canUndo: boolean;
  error?: string;
}

export interface SetupScanView {
  apps: AppScanView[];
  /** The first-run view should open: an app holds servers, Canopy none yet, and the view was not dismissed. */
  firstRun: boolean;
}

export interface ImportOutcomeView {
  name: string;
  result: 'registered' | 'unchanged' | 'needs_authorization' | 'failed';
  reason?: string;
}

export interface MigrateAppBody {
  /** The servers to import (default: all the app holds). */
  servers?: string[];
  /** Also replace the imported entries in the app's file with the Canopy entry (default true). */
  switchApp?: boolean;
}

export interface MigrateAppResult {
  imported: ImportOutcomeView[];
  /** Set when the app's file was switched to Canopy. */
  switched?: { path: string; removed: string[]; backupPath: string; restartHint?: string };
}

export interface UndoMigrationResult {
  path: string;
  replacedKeptAt?: string;
}
