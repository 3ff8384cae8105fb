// `canopy register` and `canopy authorize`: POST /servers and POST /servers/{name}/authorize, then,
// when the upstream needs OAuth, the browser flow.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { withExamples } from '../help.ts';
import { configFromArguments, type RegisterFlags } from '../server-config-source.ts';
import { completeAuthorization } from '../authorization-flow.ts';
import { serverSummary } from '../format/server-summary.ts';

export function registerRegisterCommands(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('register')
      .summary('register an MCP server')
      .description(
        'Register an MCP server with Canopy. A remote (streamable HTTP) server can be given by flags; ' +
          'a stdio or SSE server, or one with headers, env or OAuth settings, needs a config file ' +
          '(MCPJungle format). ${VAR} placeholders in the file are expanded from your environment ' +
          'before it is sent. When the server needs OAuth, your browser opens to approve access.',
      )
      .option('-c, --conf <file>', 'server config file (JSON)')
      .option('--name <name>', 'server name (letters, digits, "_" and "-")')
      .option('--url <url>', 'URL of a streamable HTTP MCP server, e.g. http://localhost:8000/mcp')
      .option('--description <text>', 'what the server is for')
      .option('--bearer-token <token>', 'sent as "Authorization: Bearer <token>" on every request to the server')
      .option('--force', 'replace a registered server of the same name')
      .action(async (flags: RegisterFlags & { force?: boolean }) => {
        const { output } = context;
        const config = configFromArguments(flags, context.env);
        const client = context.client();
        const progress = output.progress(`registering '${config.name}'`);
        let result;
        try {
          result = await client.registerServer({ config, force: flags.force });
        } finally {
          progress.stop();
        }
        for (const warning of result.warnings) output.warn(warning);
        if (result.authorizationUrl) {
          await completeAuthorization(context, config.name, result.authorizationUrl);
          return;
        }
        const { server } = result;
        if (result.unchanged) return output.line(`= '${server.name}' is already registered with this config: nothing changed`);
        output.line(`✓ registered ${serverSummary(server)}`);
        if (server.state.status === 'error' && server.state.lastError) output.warn(server.state.lastError);
        if (server.toolCount > 0) output.note(`Run \`canopy list tools --server ${server.name}\` to see its tools.`);
      }),
    [
      'canopy register --name deepwiki --url https://mcp.deepwiki.com/mcp',
      'canopy register --name hf --url https://huggingface.co/mcp --bearer-token "$HF_TOKEN"',
      'canopy register -c ./filesystem.json',
      'canopy register -c ./github.json --force',
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
