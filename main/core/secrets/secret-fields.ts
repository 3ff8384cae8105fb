// Which server-config values are secret, and how the stored config refers to them.
//
// Secret: bearer_token, oauth_client_secret, every header value, every env value whose name is not in
// public_env. In the stored config (the servers table) each secret value is removed from its field and
// its SecretStore ref is put under `secret_refs`, which mirrors the config's shape:
//
//   { "name": "github", "url": "https://…", "env": { "LOG_LEVEL": "debug" }, "public_env": ["LOG_LEVEL"],
//     "secret_refs": { "bearer_token": "server/github/4f2c…/bearer_token",
//                      "headers": { "X-Api-Key": "server/github/4f2c…/headers/X-Api-Key" } } }
//
// `secret_refs` is not a ServerConfig field and serverConfigSchema is strict, so user input carrying it
// is refused: a value a user typed can never be taken for a reference, nor a reference for a value.
// Refs hold a random id per write, so a re-registration writes its secrets beside the old ones and the
// old ones are deleted only after the new row is committed.
import { randomBytes } from 'node:crypto';
import type { ServerConfig } from '../config/server-config.ts';
import { REDACTED } from '../model/redaction.ts';
import { SecretStoreError, type SecretStore } from './secret-store.ts';
import { badRequest } from '../errors.ts';

export interface SecretRefs {
  bearer_token?: string;
  oauth_client_secret?: string;
  headers?: Record<string, string>;
  env?: Record<string, string>;
}

/** A config as the servers table holds it: secret values replaced by `secret_refs`. */
export type StoredServerConfig = ServerConfig & { secret_refs?: SecretRefs };

export interface SecretValue {
  ref: string;
  value: string;
}

type SecretField = { kind: 'bearer_token' | 'oauth_client_secret' } | { kind: 'headers' | 'env'; key: string };

interface ReferencedField {
  field: SecretField;
  ref: string;
}

function fieldPath(field: SecretField): string {
  return 'key' in field ? `${field.kind}.${field.key}` : field.kind;
}

/** Replaces each secret value by a fresh ref; `secrets` are the values to write under those refs. */
export function splitSecrets(config: ServerConfig): { stored: StoredServerConfig; secrets: SecretValue[] } {
  if ('secret_refs' in config) throw new Error(`server '${config.name}': its config is already split into references`);
  const base = `server/${config.name}/${randomBytes(8).toString('hex')}`;
  const secrets: SecretValue[] = [];
  const take = (refPath: string, value: string): string => {
    const ref = `${base}/${refPath}`;
    secrets.push({ ref, value });
    return ref;
  };
  const { bearer_token, oauth_client_secret, headers, env, ...rest } = config;
  const stored: StoredServerConfig = rest;
  const refs: SecretRefs = {};
  if (bearer_token !== undefined) refs.bearer_token = take('bearer_token', bearer_token);
  if (oauth_client_secret !== undefined) refs.oauth_client_secret = take('oauth_client_secret', oauth_client_secret);
  if (headers) refs.headers = mapValues(headers, (key, value) => take(`headers/${encodeURIComponent(key)}`, value));
  if (env) {
    const publicNames = new Set(config.public_env ?? []);
    const publicEnv = Object.fromEntries(Object.entries(env).filter(([key]) => publicNames.has(key)));
    const secretEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !publicNames.has(key)));
    if (Object.keys(publicEnv).length > 0) stored.env = publicEnv;
    if (Object.keys(secretEnv).length > 0) refs.env = mapValues(secretEnv, (key, value) => take(`env/${encodeURIComponent(key)}`, value));
  }
  return { stored: secrets.length > 0 ? { ...stored, secret_refs: refs } : stored, secrets };
}

function mapValues(map: Record<string, string>, to: (key: string, value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, to(key, value)]));
}

function referencedFields(stored: ServerConfig): ReferencedField[] {
  const refs = (stored as StoredServerConfig).secret_refs ?? {};
  const fields: ReferencedField[] = [];
  for (const kind of ['bearer_token', 'oauth_client_secret'] as const) {
    const ref = refs[kind];
    if (ref !== undefined) fields.push({ field: { kind }, ref });
  }
  for (const kind of ['headers', 'env'] as const) {
    for (const [key, ref] of Object.entries(refs[kind] ?? {})) fields.push({ field: { kind, key }, ref });
  }
  return fields;
}

/** The stored config with every referenced field filled in by `valueOf` and `secret_refs` gone. */
function fillSecrets(stored: ServerConfig, valueOf: (field: SecretField, ref: string) => string): ServerConfig {
  const { secret_refs: _refs, ...config } = stored as StoredServerConfig;
  const filled: ServerConfig = { ...config };
  for (const { field, ref } of referencedFields(stored)) {
    const value = valueOf(field, ref);
    if ('key' in field) filled[field.kind] = { ...filled[field.kind], [field.key]: value };
    else filled[field.kind] = value;
  }
  return filled;
}

/** The usable config: every secret read from `store`. */
export async function resolveSecrets(stored: ServerConfig, store: SecretStore): Promise<ServerConfig> {
  const fields = referencedFields(stored);
  const values = new Map<string, string>();
  await Promise.all(
    fields.map(async ({ field, ref }) => {
      const value = await store.get(ref);
      if (value === undefined) {
        throw new SecretStoreError(
          `secret for server '${stored.name}' field '${fieldPath(field)}' is missing from ${store.describe().description}: register the server again`,
        );
      }
      values.set(ref, value);
    }),
  );
  return fillSecrets(stored, (_field, ref) => values.get(ref)!);
}

/** For API responses: every secret shown as REDACTED. */
export function redactSecrets(stored: ServerConfig): ServerConfig {
  return fillSecrets(stored, () => REDACTED);
}

/** Every SecretStore ref the stored config holds (to delete them with the server). */
export function secretRefs(stored: ServerConfig): string[] {
  return referencedFields(stored).map(({ ref }) => ref);
}

// A `${` already in a value is a literal one (the CLI expanded the placeholders before registering):
// `$${` keeps it literal through a re-import.
function escapePlaceholders<T>(value: T): T {
  // A replacer function, since a replacement string would read `$$` as an escaped `$`.
  if (typeof value === 'string') return value.replaceAll('${', () => '$${') as T;
  if (Array.isArray(value)) return value.map(escapePlaceholders) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapePlaceholders(item)])) as T;
  }
  return value;
}

function variablePart(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * For `canopy export`: every secret becomes a `${VAR}` placeholder named after the server and field
 * (GITHUB_BEARER_TOKEN, GITHUB_OAUTH_CLIENT_SECRET, GITHUB_HEADER_X_API_KEY, GITHUB_ENV_API_KEY), so
 * the file re-imports once those variables are set. Literal `${` elsewhere is escaped as `$${`.
 */
export function exportableConfig(stored: ServerConfig): ServerConfig {
  const server = variablePart(stored.name);
  const prefix = /^[0-9]/.test(server) ? `_${server}` : server;
  const used = new Set<string>();
  return fillSecrets(escapePlaceholders(stored), (field) => {
    const suffix = 'key' in field ? [field.kind === 'headers' ? 'HEADER' : 'ENV', variablePart(field.key)] : [variablePart(field.kind)];
    const name = [prefix, ...suffix].filter(Boolean).join('_');
    // Two fields that spell the same name (X-Api-Key, X_API_KEY) get _2, _3, …
    let unique = name;
    for (let n = 2; used.has(unique); n += 1) unique = `${name}_${n}`;
    used.add(unique);
    return `\${${unique}}`;
  });
}

/** Where a secret field's value is sent: the URL's origin for HTTP fields, the command line for env. */
function destinationOf(config: ServerConfig, kind: SecretField['kind']): string {
  if (kind === 'env') return JSON.stringify([config.command ?? null, config.args ?? []]);
  if (!config.url) return 'no url';
  try {
    return new URL(config.url).origin;
  } catch {
    return config.url;
  }
}

function describeDestination(config: ServerConfig, kind: SecretField['kind']): string {
  return kind === 'env' ? `command \`${[config.command, ...(config.args ?? [])].join(' ')}\`` : destinationOf(config, kind);
}

/**
 * An edit sends back what the API showed: secrets as REDACTED. Those mean "keep what is stored", so
 * each REDACTED secret value is taken from the current config, which `previous` resolves (only when
 * some value is REDACTED) — but only while it still goes where it went: the same URL origin for a
 * token, header or client secret, the same command and args for env. Otherwise a masked value would
 * send the stored secret to a new host (or hand it to a new program) without anyone typing it.
 */
export async function keepRedactedSecrets(incoming: ServerConfig, previous: (() => Promise<ServerConfig>) | undefined): Promise<ServerConfig> {
  const values = [incoming.bearer_token, incoming.oauth_client_secret, ...Object.values(incoming.headers ?? {}), ...Object.values(incoming.env ?? {})];
  if (!values.includes(REDACTED)) return incoming;
  const current = await previous?.();
  const keep = (field: SecretField, value: string | undefined, old: string | undefined): string | undefined => {
    if (value !== REDACTED) return value;
    const path = fieldPath(field);
    if (current === undefined || old === undefined) {
      throw badRequest(`server '${incoming.name}': field '${path}' is ${REDACTED} but no value is stored for it: type the value`);
    }
    if (destinationOf(incoming, field.kind) !== destinationOf(current, field.kind)) {
      throw badRequest(
        `server '${incoming.name}': field '${path}' is ${REDACTED}, but the stored secret was for ${describeDestination(current, field.kind)}, ` +
          `not ${describeDestination(incoming, field.kind)}: type the value again to send it there`,
      );
    }
    return old;
  };
  const keepMap = (kind: 'headers' | 'env') =>
    incoming[kind] && mapValues(incoming[kind], (key, value) => keep({ kind, key }, value, current?.[kind]?.[key])!);
  return {
    ...incoming,
    ...(incoming.bearer_token !== undefined ? { bearer_token: keep({ kind: 'bearer_token' }, incoming.bearer_token, current?.bearer_token) } : {}),
    ...(incoming.oauth_client_secret !== undefined
      ? { oauth_client_secret: keep({ kind: 'oauth_client_secret' }, incoming.oauth_client_secret, current?.oauth_client_secret) }
      : {}),
    ...(incoming.headers ? { headers: keepMap('headers') } : {}),
    ...(incoming.env ? { env: keepMap('env') } : {}),
  };
}
