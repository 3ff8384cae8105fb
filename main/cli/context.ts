// What every command shares: the admin API client (registry URL and token), the output, the
// environment. Built once in index.ts; global options are read when a command runs.
import type { Command } from 'commander';
import { AdminClient } from '../core/api/client.ts';
import { CliError } from './errors.ts';
import { savedToken } from './cli-settings.ts';
import type { Output } from './output.ts';

export interface CliContext {
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
  /** The CLI settings file (`canopy login` saves tokens there, one per gateway). */
  readonly settingsPath: string;
  /** The gateway's base URL: `--registry`, else CANOPY_REGISTRY, else the local default. */
  registryUrl(): string;
  /** An admin API client for `registryUrl()`, with CANOPY_TOKEN or the token saved for that gateway. */
  client(): AdminClient;
}

export interface ContextOptions {
  output: Output;
  env: NodeJS.ProcessEnv;
  settingsPath: string;
}

export function createContext(program: Command, { output, env, settingsPath }: ContextOptions): CliContext {
  const registryUrl = (): string => {
    const value = program.opts<{ registry: string }>().registry;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new CliError(`--registry: "${value}" is not a URL (e.g. http://127.0.0.1:7450)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CliError(`--registry: "${value}" must be an http:// or https:// URL`);
    }
    return value.replace(/\/+$/, '');
  };
  return {
    output,
    env,
    settingsPath,
    registryUrl,
    client: () => {
      const baseUrl = registryUrl();
      return new AdminClient({ baseUrl, token: env.CANOPY_TOKEN || savedToken(settingsPath, baseUrl) });
    },
  };
}
