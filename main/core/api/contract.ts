// The admin API's request and response shapes (`/api/v0`). Shared by the gateway, the CLI and the
// renderer: type-only imports, so it adds nothing to the browser bundle.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig, ServerConfigInput, Transport } from '../config/server-config.ts';
import type { UpstreamState } from '../upstream/types.ts';
import type { SecretStoreStatus } from '../secrets/secret-store.ts';

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

export interface RegisterServerResult {
  server: ServerView;
  /** Set when the upstream needs OAuth: open this URL to finish the registration. */
  authorizationUrl?: string;
  /** Things the user should know (e.g. "headers.Authorization overrides bearer_token"). */
  warnings: string[];
}

export interface ToolView {
  /** `server__tool` */
  name: string;
  server: string;
  /** The upstream's own name. */
  originalName: string;
  enabled: boolean;
  title?: string;
  description?: string;
  inputSchema: Tool['inputSchema'];
  outputSchema?: Tool['outputSchema'];
  annotations?: Tool['annotations'];
}

export interface PromptView {
  name: string;
  server: string;
  originalName: string;
  enabled: boolean;
  title?: string;
  description?: string;
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
