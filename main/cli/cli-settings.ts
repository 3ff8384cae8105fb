// The CLI's own settings file (`cli.json` in the user's config dir): the token `canopy login` saved.
// It holds a credential, so it is written 0600 in a 0700 directory, atomically.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userConfigDir } from '../core/paths.ts';
import { CliError } from './errors.ts';

export interface CliSettings {
  token?: string;
}

export function cliSettingsPath(configDir: string = userConfigDir()): string {
  return join(configDir, 'cli.json');
}

export function readCliSettings(path: string): CliSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    const token = (parsed as CliSettings | null)?.token;
    return typeof token === 'string' ? { token } : {};
  } catch {
    throw new CliError(`${path} is not valid JSON: fix it or delete it and run \`canopy login TOKEN\` again`);
  }
}

export function writeCliSettings(path: string, settings: CliSettings): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
