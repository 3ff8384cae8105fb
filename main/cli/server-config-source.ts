// Turns `canopy register` arguments into a validated server config: either the flags
// (--name/--url/...; remote servers only, like MCPJungle) or a config file with `${VAR}`
// placeholders expanded from the CLI's environment, so the gateway never sees a placeholder.
import { ConfigError, parseServerConfig, type ServerConfig } from '../core/config/server-config.ts';
import { expandPlaceholders } from '../core/config/placeholders.ts';
import { CliError } from './errors.ts';
import { readJsonFile } from './json-file.ts';

export interface RegisterFlags {
  conf?: string;
  name?: string;
  url?: string;
  description?: string;
  bearerToken?: string;
}

export function configFromFlags(flags: RegisterFlags): ServerConfig {
  if (flags.name === undefined && flags.url === undefined) {
    throw new CliError('nothing to register: give --name and --url, or a config file with -c FILE (see `canopy register --help`)');
  }
  if (flags.url === undefined) {
    throw new CliError(
      '--url is required with --name; to register a stdio server write a config file and run `canopy register -c server.json`',
    );
  }
  if (flags.name === undefined) throw new CliError('--name is required with --url');
  return parseServerConfig({
    name: flags.name,
    url: flags.url,
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(flags.bearerToken !== undefined ? { bearer_token: flags.bearerToken } : {}),
  });
}

/** Validates a config read from a file or an mcpServers entry, placeholders expanded first. */
export function configFromJson(json: unknown, env: NodeJS.ProcessEnv): ServerConfig {
  return parseServerConfig(expandPlaceholders(json, env));
}

export function configFromArguments(flags: RegisterFlags, env: NodeJS.ProcessEnv): ServerConfig {
  if (flags.conf === undefined) return configFromFlags(flags);
  if ((['name', 'url', 'description', 'bearerToken'] as const).some((key) => flags[key] !== undefined)) {
    throw new CliError('give either a config file (-c) or --name/--url/--description/--bearer-token, not both');
  }
  const json = readJsonFile(flags.conf);
  try {
    return configFromJson(json, env);
  } catch (error) {
    // Name the file too: "server.json: field 'url': environment variable HOST is not set".
    if (error instanceof ConfigError) throw new ConfigError(`${flags.conf}: ${error.message}`, error.field);
    throw error;
  }
}
