// Turns `canopy register` / `canopy update server` arguments into a validated server config: flags
// (--name/--url/--env/--cwd/... and, after `--`, the command of a stdio server, as `claude mcp add`
// takes it) or a config file with `${VAR}` placeholders expanded from the CLI's environment, so the
// gateway never sees a placeholder.
import { resolve } from 'node:path';
import { ConfigError } from '../core/config/config-error.ts';
import { parseServerConfig, type ServerConfig, type ServerConfigInput } from '../core/config/server-config.ts';

/**
 * Validates a config and returns it as given: without a `transport` when none was given, so the
 * gateway finds out whether a remote server speaks streamable HTTP or SSE.
 */
function validated(input: ServerConfigInput): ServerConfigInput {
  parseServerConfig(input);
  return input;
}
import { expandPlaceholders } from '../core/config/placeholders.ts';
import { CliError } from './errors.ts';
import { readJsonFile } from './json-file.ts';

/** The flags both commands take (update takes the name as its argument). */
export interface ServerFlags {
  conf?: string;
  url?: string;
  description?: string;
  /** `--alias ""` removes the alias. */
  alias?: string;
  bearerToken?: string;
  credentials?: string;
  /** `--env K=V`, repeatable. */
  env?: string[];
  cwd?: string;
}

export interface RegisterFlags extends ServerFlags {
  name?: string;
}

const FLAG_NAMES = { url: '--url', description: '--description', alias: '--alias', bearerToken: '--bearer-token', credentials: '--credentials', env: '--env', cwd: '--cwd' } as const;

/** `--env` values as a map; `K=V` with a non-empty K (V may be empty or contain "="). */
function parseEnvFlags(values: string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const env: Record<string, string> = {};
  for (const value of values) {
    const equals = value.indexOf('=');
    if (equals <= 0) throw new CliError(`--env "${value}": expected KEY=VALUE, e.g. --env API_KEY="$API_KEY"`);
    env[value.slice(0, equals)] = value.slice(equals + 1);
  }
  return env;
}

/** The flag fields of a config (the CLI user's relative --cwd made absolute). */
function flagFields(flags: ServerFlags): Partial<ServerConfigInput> {
  return {
    ...(flags.url !== undefined ? { url: flags.url } : {}),
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(flags.alias !== undefined ? { alias: flags.alias === '' ? undefined : flags.alias } : {}),
    ...(flags.bearerToken !== undefined ? { bearer_token: flags.bearerToken } : {}),
    // Validated with the rest of the config (a wrong value is named with the ones it may be).
    ...(flags.credentials !== undefined ? { credentials: flags.credentials as ServerConfigInput['credentials'] } : {}),
    ...(flags.env !== undefined ? { env: parseEnvFlags(flags.env) } : {}),
    ...(flags.cwd !== undefined ? { cwd: resolve(flags.cwd) } : {}),
  };
}

function usedFlags(flags: ServerFlags): string[] {
  return (Object.keys(FLAG_NAMES) as (keyof typeof FLAG_NAMES)[]).filter((key) => flags[key] !== undefined).map((key) => FLAG_NAMES[key]);
}

function configFromFlags(flags: RegisterFlags, command: string[] = []): ServerConfigInput {
  if (flags.name === undefined && flags.url === undefined && command.length === 0) {
    throw new CliError(
      'nothing to register: give --name with --url (a remote server) or with -- COMMAND ARGS (a stdio server), or a config file with -c FILE (see `canopy register --help`)',
    );
  }
  if (flags.url !== undefined && command.length > 0) throw new CliError('give either --url (a remote server) or a command after -- (a stdio server), not both');
  if (flags.url === undefined && command.length === 0) {
    throw new CliError('--name needs --url URL (a remote server) or -- COMMAND ARGS (a stdio server), e.g. `canopy register --name memory -- npx -y @modelcontextprotocol/server-memory`');
  }
  if (flags.name === undefined) throw new CliError(`--name is required with ${command.length > 0 ? 'a command' : '--url'}`);
  const [executable, ...args] = command;
  return validated({
    name: flags.name,
    ...(executable !== undefined ? { command: executable, args } : {}),
    ...flagFields(flags),
  });
}

/** Validates a config read from a file or an import entry, placeholders expanded first. */
export function configFromJson(json: unknown, env: NodeJS.ProcessEnv): ServerConfigInput {
  return validated(expandPlaceholders(json, env) as ServerConfigInput);
}

/** A config file, its name on every error ("server.json: field 'url': …"). */
function configFromFile(path: string, env: NodeJS.ProcessEnv, override?: (json: unknown) => unknown): ServerConfigInput {
  const json = readJsonFile(path);
  try {
    return configFromJson(override ? override(json) : json, env);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`, error.field);
    throw error;
  }
}

export function configFromArguments(flags: RegisterFlags, command: string[], env: NodeJS.ProcessEnv): ServerConfigInput {
  if (flags.conf === undefined) return configFromFlags(flags, command);
  const mixed = [...(flags.name !== undefined ? ['--name'] : []), ...usedFlags(flags), ...(command.length > 0 ? ['a command'] : [])];
  if (mixed.length > 0) throw new CliError(`give either a config file (-c) or flags (${mixed.join(', ')}), not both`);
  return configFromFile(flags.conf, env);
}

/**
 * `canopy update server NAME`: a config file replaces the whole config; flags change only what they
 * name (`--env` adds or replaces single variables). A command after `--` makes it a stdio server,
 * `--url` a remote one. `current` is the config as the API shows it: secrets as REDACTED, which the
 * gateway reads as "keep the stored value".
 */
export function updatedConfig(current: ServerConfig, flags: ServerFlags, command: string[], env: NodeJS.ProcessEnv): ServerConfigInput {
  const { name } = current;
  if (flags.conf !== undefined) {
    const mixed = [...usedFlags(flags), ...(command.length > 0 ? ['a command'] : [])];
    if (mixed.length > 0) throw new CliError(`give either a config file (-c) or flags (${mixed.join(', ')}), not both`);
    return configFromFile(flags.conf, env, (json) => {
      const named = (json as { name?: unknown } | null)?.name;
      if (named !== undefined && named !== name) throw new CliError(`${flags.conf} is the config of '${String(named)}', not of '${name}'`);
      return { ...(json as object), name };
    });
  }
  if (usedFlags(flags).length === 0 && command.length === 0) {
    throw new CliError(`nothing to update: give flags (e.g. --env K=V, --cwd DIR, --url URL, --alias A), -- COMMAND ARGS, or -c FILE (see \`canopy update server --help\`)`);
  }
  if (flags.url !== undefined && command.length > 0) throw new CliError('give either --url (a remote server) or a command after -- (a stdio server), not both');
  let next: ServerConfigInput = { ...current };
  if (command.length > 0 && current.transport !== 'stdio') {
    next = { name, alias: current.alias, description: current.description, transport: 'stdio' };
  } else if (flags.url !== undefined && current.transport === 'stdio') {
    next = { name, alias: current.alias, description: current.description };
  }
  const [executable, ...args] = command;
  const fields = flagFields(flags);
  return validated({
    ...next,
    ...(executable !== undefined ? { command: executable, args } : {}),
    ...fields,
    ...(fields.env ? { env: { ...next.env, ...fields.env } } : {}),
  });
}
