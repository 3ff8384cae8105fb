// The token options of `create user|mcp-client` and `rotate-token`: a custom token (`${VAR}`
// expanded from the environment, so it need not appear in shell history) and an expiry.
import type { Command } from 'commander';
import type { TokenOptions } from '../core/api/contract.ts';
import { expandPlaceholders } from '../core/config/placeholders.ts';
import { CliError } from './errors.ts';

export interface TokenFlags {
  token?: string;
  expires?: string;
}

export function addTokenFlags(command: Command): Command {
  return command
    .option('--token <token>', 'use this token instead of a generated one (32+ characters, no spaces; ${VAR} is read from the environment)')
    .option('--expires <when>', 'the token stops working then: a duration (30d, 12h) or a date and time (2026-12-31T00:00:00Z)');
}

/** `30d`, `12h`, `90m` from `now`, or an ISO date/time; as ISO. */
function expiryTime(when: string, now = Date.now()): string {
  const relative = /^(\d+)\s*([mhd])$/.exec(when.trim());
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now + Number(relative[1]) * unit).toISOString();
  }
  const at = Date.parse(when);
  if (Number.isNaN(at)) throw new CliError(`--expires: "${when}" is neither a duration (30d, 12h, 90m) nor a date and time`);
  return new Date(at).toISOString();
}

export function tokenOptions(flags: TokenFlags, env: NodeJS.ProcessEnv): TokenOptions {
  return {
    ...(flags.token !== undefined ? { token: expandPlaceholders(flags.token, env, '--token') } : {}),
    ...(flags.expires !== undefined ? { expiresAt: expiryTime(flags.expires) } : {}),
  };
}
