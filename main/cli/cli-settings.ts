// The CLI's own settings file (`cli.json` in the user's config dir): the tokens `canopy login` and
// `canopy init-server` saved, one per gateway. A token is sent only to the gateway it was saved for
// (keyed by origin), so `--registry` pointed elsewhere never carries it there. The file holds
// credentials, so it is written 0600 in a 0700 directory, atomically.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userConfigDir } from '../core/paths.ts';
import { DEFAULT_REGISTRY_URL } from '../core/defaults.ts';
import { CliError } from './errors.ts';

export interface CliSettings {
  /** Tokens by gateway origin, e.g. `{ "https://mcp.example.com": "cnp_…" }`. */
  tokens: Record<string, string>;
}

export function cliSettingsPath(configDir: string = userConfigDir()): string {
  return join(configDir, 'cli.json');
}

/** The key a registry URL's token is saved under: its origin (scheme, host, port; no path). */
export function gatewayKey(registryUrl: string): string {
  return new URL(registryUrl).origin;
}

export function readCliSettings(path: string): CliSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { tokens: {} };
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: { token?: unknown; tokens?: unknown } | null;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new CliError(`${path} is not valid JSON: fix it or delete it and run \`canopy login TOKEN\` again`);
  }
  const tokens: Record<string, string> = {};
  if (parsed?.tokens && typeof parsed.tokens === 'object') {
    for (const [origin, token] of Object.entries(parsed.tokens)) if (typeof token === 'string') tokens[origin] = token;
  }
  // A file from before tokens were kept per gateway holds one `token`, with no record of where it came
  // from: it stays with the default local gateway only, the one a plain `canopy login` talked to.
  if (typeof parsed?.token === 'string') tokens[gatewayKey(DEFAULT_REGISTRY_URL)] ??= parsed.token;
  return { tokens };
}

export function writeCliSettings(path: string, settings: CliSettings): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** The token saved for the gateway at `registryUrl`, if any. */
export function savedToken(path: string, registryUrl: string): string | undefined {
  return readCliSettings(path).tokens[gatewayKey(registryUrl)];
}

/** Saves `token` for the gateway at `registryUrl`, keeping the other gateways' tokens. */
export function saveToken(path: string, registryUrl: string, token: string): void {
  const settings = readCliSettings(path);
  writeCliSettings(path, { tokens: { ...settings.tokens, [gatewayKey(registryUrl)]: token } });
}
