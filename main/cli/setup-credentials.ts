// Which bearer token `canopy setup APP` writes into an app's config. Development mode: none. An
// enterprise gateway's /mcp takes MCP-client tokens only, so the app gets an MCP client of its own
// (created here, with an allow-list the user chooses) — never the user token `canopy login` saved.
import { ApiError, type AdminClient } from '../core/api/client.ts';
import type { AppId } from '../core/connect-apps/apps.ts';
import { APPS } from '../core/connect-apps/apps.ts';
import { CliError } from './errors.ts';

export interface CredentialRequest {
  app: AppId;
  /** `--token`: a token the user already has (checked to be an MCP client's when the gateway answers). */
  token?: string;
  /** `--client`: the MCP client's name; default the app's id. */
  clientName?: string;
  /** `--allow`: what the new client may use (servers, `server__tool`, groups, `*`). */
  allow?: string[];
  dryRun: boolean;
  /** Asks the user a question on a terminal; undefined when there is none. */
  ask?: (question: string) => Promise<string>;
}

export interface Credential {
  token?: string;
  /** What the user should know about where the token came from. */
  notes: string[];
}

const DRY_RUN_TOKEN = '<new MCP client token>';

export function parseAllow(value: string): string[] {
  return [...new Set(value.split(/[\s,]+/).filter(Boolean))];
}

async function chooseAllowList(client: AdminClient, request: CredentialRequest, name: string): Promise<string[]> {
  if (request.allow?.length) return request.allow;
  if (!request.ask) {
    throw new CliError(`say which servers ${APPS[request.app].displayName} may use: --allow github,memory (server, server__tool or group names, or '*' for all)`);
  }
  const [servers, groups] = await Promise.all([client.listServers(), client.listGroups()]);
  const offer = [...servers.map((s) => s.name), ...groups.map((g) => `${g.name} (group)`)];
  const answer = await request.ask(
    `MCP client '${name}' for ${APPS[request.app].displayName}: which servers may it use?\n` +
      `  ${offer.length ? offer.join(', ') : 'no servers are registered yet'}\n` +
      `Names separated by commas, '*' for all [*]: `,
  );
  return answer.trim() === '' ? ['*'] : parseAllow(answer.replace(/\s*\(group\)/g, ''));
}

/** The token for the app's config, creating an MCP client when the gateway is in enterprise mode. */
export async function credentialForApp(
  client: AdminClient,
  clientWith: (token: string) => AdminClient,
  request: CredentialRequest,
): Promise<Credential> {
  let mode;
  try {
    mode = (await client.status()).mode;
  } catch (error) {
    // Not running: the entry is still right for a development gateway; say what to do otherwise.
    if (error instanceof ApiError && error.code === 'network') {
      return { token: request.token, notes: [`${error.message.replace(/: is it running\?.*$/, '')}: if it runs in enterprise mode, run this again while it runs (or pass --token)`] };
    }
    throw error;
  }
  if (mode !== 'enterprise') return { token: request.token, notes: [] };

  if (request.token) {
    const who = await clientWith(request.token)
      .whoami()
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) throw new CliError('--token is not a valid token on this gateway');
        throw error;
      });
    if (who.kind === 'user') {
      throw new CliError(`--token is the token of user '${who.name}', and /mcp takes MCP client tokens only: leave out --token to create an MCP client for the app`);
    }
    return { token: request.token, notes: [] };
  }
  const name = request.clientName ?? request.app;
  const existing = (await client.listClients()).find((c) => c.name === name);
  if (existing) {
    throw new CliError(
      `MCP client '${name}' already exists and its token is only shown when it is made: pass it with --token, ` +
        `run \`canopy rotate-token mcp-client ${name}\` for a new one, or choose another name with --client`,
    );
  }
  const allow = await chooseAllowList(client, request, name);
  if (request.dryRun) return { token: DRY_RUN_TOKEN, notes: [`Dry run: would create MCP client '${name}' allowed ${allow.join(', ')}.`] };
  const created = await client.createClient({ name, allow, description: `${APPS[request.app].displayName}, set up by canopy setup` });
  return { token: created.token, notes: [`Created MCP client '${name}' (allowed: ${created.allow.join(', ')}); its token is in the app's config.`] };
}
