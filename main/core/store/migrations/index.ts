// Versioned migrations, applied in name order at start (Kysely's Migrator keeps the applied list
// and a lock in canopy_migration / canopy_migration_lock). Never edit a released migration: add one.
import type { Migration } from 'kysely';
import { m0001_initial } from './0001-initial.ts';
import { m0002_secrets } from './0002-secrets.ts';
import { m0003_enterprise } from './0003-enterprise.ts';
import { m0004_secret_cleanup } from './0004-secret-cleanup.ts';
import { m0005_server_alias } from './0005-server-alias.ts';
import { m0006_tool_overrides } from './0006-tool-overrides.ts';
import { m0007_protocol_eras } from './0007-protocol-eras.ts';
import { m0008_catalog_cache } from './0008-catalog-cache.ts';
import { m0009_sign_in } from './0009-sign-in.ts';
import { m0010_oauth_access } from './0010-oauth-access.ts';
import { m0011_per_user_credentials } from './0011-per-user-credentials.ts';

export const migrations: Record<string, Migration> = {
  '0001-initial': m0001_initial,
  '0002-secrets': m0002_secrets,
  '0003-enterprise': m0003_enterprise,
  '0004-secret-cleanup': m0004_secret_cleanup,
  '0005-server-alias': m0005_server_alias,
  '0006-tool-overrides': m0006_tool_overrides,
  '0007-protocol-eras': m0007_protocol_eras,
  '0008-catalog-cache': m0008_catalog_cache,
  '0009-sign-in': m0009_sign_in,
  '0010-oauth-access': m0010_oauth_access,
  '0011-per-user-credentials': m0011_per_user_credentials,
};
