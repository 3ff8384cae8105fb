// Table types for Kysely. One interface per table; columns are the lowest common denominator of
// SQLite and PostgreSQL (text, integer), so the same queries run on both.
import type { Generated } from 'kysely';

export interface ServersTable {
  name: string;
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

export interface Database {
  servers: ServersTable;
  item_settings: ItemSettingsTable;
  settings: SettingsTable;
  secrets: SecretsTable;
}

export type AutoId = Generated<number>;
