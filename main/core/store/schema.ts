// Table types for Kysely. One interface per table; columns are the lowest common denominator of
// SQLite and PostgreSQL (text, integer), so the same queries run on both.
import type { Generated } from 'kysely';
import type { CredentialKind } from '../model/connections.ts';

export interface ServersTable {
  name: string;
  /** The config's alias, kept in a column so the database refuses two servers with one alias. */
  alias: string | null;
  transport: string;
  description: string;
  /** JSON of the stored config: secret values are replaced by SecretStore references. */
  config: string;
  /** 1 = enabled, 0 = disabled. */
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** Per-tool and per-prompt switches; a row exists only once a switch was set. */
export interface ItemSettingsTable {
  server_name: string;
  kind: 'tool' | 'prompt';
  item_name: string;
  enabled: number;
  /** Tools: the name clients see instead of the upstream's; NULL keeps the upstream's. */
  name_override: string | null;
  /** Tools: the description clients see instead of the upstream's; NULL keeps the upstream's. */
  description_override: string | null;
}

/** Gateway-wide settings (mode, …) as key/value text. */
export interface SettingsTable {
  key: string;
  value: string;
}

/** Secrets of the encrypted-in-database backend (AES-256-GCM, base64 parts). */
export interface SecretsTable {
  ref: string;
  ciphertext: string;
  iv: string;
  tag: string;
  /** Fingerprint of the key the value was sealed with, so a wrong CANOPY_SECRET_KEY is named as such. */
  key_id: string;
  updated_at: string;
}

/** Enterprise users (humans). Tokens are stored only as SHA-256 hashes (hex). */
export interface UsersTable {
  name: string;
  role: string;
  /** NULL for a user who signs in only through the company IdP. */
  token_hash: string | null;
  token_expires_at: string | null;
  /** JSON array of allow-list entries: what the user's OAuth access tokens may reach (with their client's rule). */
  allow_list: string;
  created_at: string;
  updated_at: string;
  /** `issuer|sub` of the company-IdP identity linked to this user; unique. */
  sso_subject: string | null;
  email: string | null;
  /** 1 = refused everywhere. */
  disabled: number;
}

/**
 * What the OAuth authorization server keeps (oidc-provider's models) and web UI sessions. `key_hash`
 * is the SHA-256 (hex) of the record's id; the payload is JSON without the id.
 */
export interface SignInRecordsTable {
  model: string;
  key_hash: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

/** Enterprise MCP clients (machine identities) and their allow-lists (JSON array of entries). */
export interface McpClientsTable {
  name: string;
  description: string;
  allow_list: string;
  token_hash: string;
  token_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

/** What an OAuth client (by client ID or metadata document URL) may reach; allow_list is a JSON array. */
export interface OAuthClientRulesTable {
  client_id: string;
  description: string;
  allow_list: string;
  created_at: string;
  updated_at: string;
}

/** Tool groups; the three lists are JSON arrays. */
export interface ToolGroupsTable {
  name: string;
  description: string;
  included_servers: string;
  included_tools: string;
  excluded_tools: string;
  created_at: string;
  updated_at: string;
}

/** Who did what, with what outcome: tool calls, prompt gets, resource reads, admin changes. */
export interface AuditLogTable {
  id: AutoId;
  at: string;
  actor_kind: string;
  actor: string;
  action: string;
  server: string | null;
  target: string | null;
  outcome: string;
  duration_ms: number;
  detail: string | null;
}

/** Secret refs that may be unreferenced: written before their row commits, or replaced or removed. */
export interface SecretCleanupTable {
  ref: string;
  since: string;
}

/** The protocol era each server speaks, as a probe last found (at most one row per server). */
export interface ProtocolErasTable {
  server_name: string;
  /** SHA-256 of the transport and URL (or command and arguments) the verdict was found for. */
  destination: string;
  era: 'legacy' | 'modern';
  /** JSON of the server's `server/discover` result (modern servers); no credentials are in it. */
  discover: string | null;
  checked_at: string;
}

/** The last catalog each server offered (at most one row per server). */
export interface CatalogCacheTable {
  server_name: string;
  /** SHA-256 of the transport, command, arguments, environment and directory it was learned from. */
  launch: string;
  /** JSON of the catalog: lists, capabilities, instructions, server info. */
  catalog: string;
  learned_at: string;
}

/** Which user connected which per-user server, and how; the credential itself is in the SecretStore. */
export interface UserCredentialsTable {
  user_name: string;
  server_name: string;
  kind: CredentialKind;
  /** SHA-256 of the server URL the credential was given for. */
  destination: string;
  created_at: string;
  updated_at: string;
}

export interface Database {
  servers: ServersTable;
  item_settings: ItemSettingsTable;
  settings: SettingsTable;
  secrets: SecretsTable;
  users: UsersTable;
  mcp_clients: McpClientsTable;
  oauth_client_rules: OAuthClientRulesTable;
  tool_groups: ToolGroupsTable;
  audit_log: AuditLogTable;
  secret_cleanup: SecretCleanupTable;
  protocol_eras: ProtocolErasTable;
  catalog_cache: CatalogCacheTable;
  user_credentials: UserCredentialsTable;
  sign_in_records: SignInRecordsTable;
}

export type AutoId = Generated<number>;
