// The admin API's request and response shapes (`/api/v0`). Shared by the gateway, the CLI and the
// renderer: type-only imports, so it adds nothing to the browser bundle.
import type { CallToolResult, Progress, ReadResourceResult, Tool } from '@modelcontextprotocol/server';

export type { Progress };
import type { ServerConfig, ServerConfigInput, Transport } from '../config/server-config.ts';
import type { ProtocolEra, UpstreamState } from '../upstream/types.ts';
import type { SecretStoreStatus } from '../secrets/secret-store.ts';
import type { BridgeLauncher } from '../connect-apps/entry.ts';
import type { AppId } from '../connect-apps/apps.ts';
import type { ErrorBody } from '../model/errors.ts';
import type { TokenOptions, UserRole } from '../model/identities.ts';
import type { GatewayMode } from '../model/gateway-mode.ts';

// Domain types the layers below the API share live in model/; the API's shapes include them.
export type { ErrorBody, ErrorCode } from '../model/errors.ts';
export type { GatewayMode } from '../model/gateway-mode.ts';
export type { AuditEntryView } from '../model/audit.ts';
export type { AuthorizeResult } from '../model/authorization.ts';
export type { ConnectionView, ConnectTokenBody } from '../model/connections.ts';
export type { GroupConfig, GroupView } from '../model/groups.ts';
export type {
  CreateClientBody,
  CreateOAuthClientRuleBody,
  CreateUserBody,
  IssuedToken,
  McpClientView,
  OAuthClientRulesView,
  OAuthClientRuleView,
  TokenOptions,
  UnlistedOAuthClients,
  UpdateClientBody,
  UpdateOAuthClientRuleBody,
  UpdateUserBody,
  UserRole,
  UserView,
} from '../model/identities.ts';
export { API_PREFIX } from '../model/endpoints.ts';
export { REDACTED } from '../model/redaction.ts';

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

export interface ServerView {
  name: string;
  transport: Transport;
  description: string;
  enabled: boolean;
  state: UpstreamState;
  /**
   * The MCP era the server speaks: 'legacy' (2024-10-07 … 2025-11-25, initialize and sessions) or
   * 'modern' (2026-07-28, stateless); null until it was first reached.
   */
  protocolEra: ProtocolEra | null;
  /** When that era was found (ISO time); null with it. */
  protocolEraCheckedAt: string | null;
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

/** What tools and prompts share: the name clients call, the upstream's own name, a switch. */
export interface CatalogItemView {
  /**
   * The name on `/mcp` and groups: `server__name` (the server's alias as prefix when it has one, an
   * override's name in place of the upstream's), or a short form when that would not match ^[a-zA-Z0-9_-]{1,64}$.
   */
  name: string;
  server: string;
  /** The upstream's own name. */
  originalName: string;
  /** The name on the server's own endpoint (`/servers/{server}/mcp`). */
  serverEndpointName: string;
  enabled: boolean;
  title?: string;
  description?: string;
}

export interface ToolView extends CatalogItemView {
  /** What the user changed (name, description); `description` is then the overriding one. */
  override?: { name?: string; description?: string };
  /** The upstream's own description, when an override replaces it. */
  upstreamDescription?: string;
  inputSchema: Tool['inputSchema'];
  outputSchema?: Tool['outputSchema'];
  annotations?: Tool['annotations'];
}

/**
 * A tool's overrides (PATCH /tools/{name}/override): a field left out stays as it is; null or "" puts
 * back the upstream's name or description; `hidden` is the tool's switch (disable/enable).
 */
export interface ToolOverrideBody {
  name?: string | null;
  description?: string | null;
  hidden?: boolean;
}

/** One tool's overrides (GET /overrides), whether or not its server still lists the tool. */
export interface ToolOverrideView {
  server: string;
  /** The upstream's own name of the tool (what the override is keyed by). */
  tool: string;
  name?: string;
  description?: string;
  hidden: boolean;
  /** The name /mcp lists it under (or would, when hidden); absent when its server does not list it now. */
  listedAs?: string;
  /** Why the override does not apply as asked: the tool is no longer listed, or its name is taken. */
  problem?: string;
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

export interface ExportView {
  /** Registered servers as config files would hold them, secrets left out. */
  servers: (ServerConfig & { enabled: boolean })[];
}

// ---- enterprise mode: identities, groups, audit ----

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
