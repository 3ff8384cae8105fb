// How this installation's `canopy` command can be run from anywhere: what `canopy setup` writes into
// Claude Desktop's config and what the web UI's "Connect an app" snippets show. Apps do not get the
// user's shell PATH, so the bridge always runs as absolute Node + absolute bin; a command line for
// a terminal is plain `canopy` only when that name on PATH is this installation.
import { realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { CliLaunch } from '../core/api/contract.ts';
import { CANOPY_BIN } from './install-dir.ts';

function realpathOrUndefined(path: string): string | undefined {
  try {
    return statSync(path).isFile() ? realpathSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the first `canopy` on PATH is this installation's bin (e.g. after `npm link`). */
function canopyIsOnPath(env: NodeJS.ProcessEnv, bin = CANOPY_BIN): boolean {
  const target = realpathOrUndefined(bin);
  const names = process.platform === 'win32' ? ['canopy.cmd', 'canopy.exe', 'canopy'] : ['canopy'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const found = realpathOrUndefined(join(dir, name));
      if (found) return found === target;
    }
  }
  return false;
}

/** A POSIX-shell word: left bare when safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function thisCli(env: NodeJS.ProcessEnv): CliLaunch {
  const launcher = { command: process.execPath, args: [CANOPY_BIN] };
  return {
    launcher,
    commandLine: canopyIsOnPath(env) ? 'canopy' : [launcher.command, ...launcher.args].map(shellWord).join(' '),
  };
}
