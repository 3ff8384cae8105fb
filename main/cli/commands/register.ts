// `canopy register`, `canopy update server` and `canopy authorize`: POST /servers (with `force`
// for an update) and POST /servers/{name}/authorize, then, when the upstream needs OAuth, the
// browser flow.
import type { Command } from 'commander';
import type { RegisterServerBody } from '../../core/api/contract.ts';
import type { CliContext } from '../context.ts';
import { withExamples } from '../help.ts';
import { commandGroup } from '../command-groups.ts';
import type { RegisterFlags, ServerFlags } from '../server-config-source.ts';
import { completeAuthorization } from '../authorization-flow.ts';
import { serverSummary } from '../format/server-summary.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The options `register` and `update server` share. */
function withServerFlags(command: Command): Command {
  return command
    .option('-c, --conf <file>', 'server config file (JSON, MCPJungle format)')
    .option('--url <url>', 'URL of a remote (streamable HTTP or SSE) MCP server, e.g. http://localhost:8000/mcp')
    .option('--description <text>', 'what the server is for')
    .option('--alias <alias>', 'short prefix of its tools on /mcp instead of its name (gh → gh__create_issue); "" removes it')
    .option('--bearer-token <token>', 'remote servers: sent as "Authorization: Bearer <token>"')
    .option('--credentials <shared|per_user>', 'remote servers, enterprise mode: per_user calls it with each person\'s own account (`canopy connect NAME`); default shared')
    .option('--env <KEY=VALUE>', 'stdio servers: an environment variable (repeatable; stored as a secret)', collect)
    .option('--cwd <dir>', "stdio servers: working directory (default: your home directory)")
    .argument('[command...]', 'stdio servers: the command and its arguments, after --');
}

/** Sends a registration and reports it; `verb` is what the user asked for. */
async function submit(context: CliContext, body: RegisterServerBody, verb: 'registered' | 'updated'): Promise<void> {
  const { output } = context;
  const name = body.config.name;
  const progress = output.progress(`${verb === 'registered' ? 'registering' : 'updating'} '${name}'`);
  let result;
  try {
    result = await context.client().registerServer(body);
  } finally {
    progress.stop();
  }
  for (const warning of result.warnings) output.warn(warning);
  if (result.authorizationUrl) {
    await completeAuthorization(context, name, result.authorizationUrl);
    return;
  }
  const { server } = result;
  if (result.unchanged) return output.line(`= '${server.name}' is already registered with this config: nothing changed`);
  output.line(`✓ ${verb} ${serverSummary(server)}`);
  if (server.state.status === 'error' && server.state.lastError) output.warn(server.state.lastError);
  if (server.toolCount > 0) output.note(`Run \`canopy list tools --server ${server.name}\` to see its tools.`);
}

export function registerRegisterCommands(program: Command, context: CliContext): void {
  withExamples(
    withServerFlags(
      program
        .command('register')
        .summary('register an MCP server')
        .description(
          'Register an MCP server with Canopy: a stdio server by its command after -- (as `claude mcp add` ' +
            'takes it), a remote server by --url, or either from a config file (MCPJungle format; needed ' +
            'for headers or OAuth settings). ${VAR} placeholders in the file are expanded from your ' +
            'environment before it is sent. A remote URL without a transport is tried as streamable HTTP, ' +
            'then as SSE. When the server needs OAuth, your browser opens to approve access. Registering ' +
            'the same config again changes nothing; change a server with `canopy update server`.',
        )
        .option('--name <name>', 'server name (letters, digits, "_" and "-")'),
    )
      .option('--force', 'replace a registered server of the same name')
      .action(async (command: string[], flags: RegisterFlags & { force?: boolean }) => {
        // The config schemas (zod) load here, not at every start of `canopy`.
        const { configFromArguments } = await import('../server-config-source.ts');
        const config = configFromArguments(flags, command, context.env);
        await submit(context, { config, force: flags.force }, 'registered');
      }),
    [
      'canopy register --name memory -- npx -y @modelcontextprotocol/server-memory',
      'canopy register --name github --env GITHUB_TOKEN="$GITHUB_TOKEN" -- npx -y @modelcontextprotocol/server-github',
      'canopy register --name files --cwd ~/projects/site -- npx -y @modelcontextprotocol/server-filesystem .',
      'canopy register --name deepwiki --url https://mcp.deepwiki.com/mcp',
      'canopy register --name hf --url https://huggingface.co/mcp --bearer-token "$HF_TOKEN"',
      'canopy register --name github-enterprise --alias gh --url https://ghe.example.com/mcp',
      'canopy register -c ./filesystem.json',
    ],
  );

  withExamples(
    withServerFlags(
      commandGroup(program, 'update')
        .command('server')
        .argument('<name>', 'registered server name')
        .summary("change a registered server's config")
        .description(
          'Change a registered server. Flags change only what they name (--env adds or replaces one ' +
            'variable; secrets you do not mention are kept); a command after -- replaces the command and ' +
            'its arguments; -c FILE replaces the whole config. The server is restarted with the new ' +
            'config, and keeps its old one if the new one cannot start.',
        ),
    ).action(async (name: string, command: string[], flags: ServerFlags) => {
      const { updatedConfig } = await import('../server-config-source.ts');
      const current = await context.client().getServer(name);
      const config = updatedConfig(current.config, flags, command, context.env);
      await submit(context, { config, force: true, enabled: current.enabled }, 'updated');
    }),
    [
      'canopy update server github --env GITHUB_TOKEN="$NEW_TOKEN"',
      'canopy update server files --cwd ~/projects/other',
      'canopy update server github-enterprise --alias gh',
      'canopy update server memory -- npx -y @modelcontextprotocol/server-memory@latest',
      'canopy update server deepwiki -c ./deepwiki.json',
    ],
  );

  withExamples(
    program
      .command('authorize')
      .argument('<name>', 'registered server name')
      .summary('run the OAuth flow for a server that needs authorization')
      .description(
        'Authorize Canopy to use a server that needs OAuth: opens your browser (and prints the URL), ' +
          'then waits up to 10 minutes for you to approve access.',
      )
      .action(async (name: string) => {
        const { authorizationUrl } = await context.client().authorizeServer(name);
        await completeAuthorization(context, name, authorizationUrl);
      }),
    ['canopy authorize todoist'],
  );
}
