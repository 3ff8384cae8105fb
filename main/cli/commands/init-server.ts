// `canopy init-server` (POST /init) and `canopy whoami` (GET /whoami): the first administrator of an
// enterprise gateway, whose token is printed once and saved like `canopy login` saves one; and who
// the saved token belongs to.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { withExamples } from '../help.ts';
import { saveToken } from '../cli-settings.ts';
import { addTokenFlags, tokenOptions, type TokenFlags } from '../token-flags.ts';

export function registerInitServerCommands(program: Command, context: CliContext): void {
  withExamples(
    addTokenFlags(
      program
        .command('init-server')
        .summary('initialize an enterprise-mode gateway: create its first administrator')
        .description(
          'Initialize an enterprise-mode gateway once: creates the administrator, prints its token (only now) and saves it in ' +
            `${context.settingsPath} (readable only by you). On the gateway's host no secret is needed; elsewhere give the init ` +
            'token `canopy serve` shows in its start banner (or the CANOPY_INIT_TOKEN it was started with).',
        )
        .option('--name <name>', 'the administrator user name', 'admin')
        .option('--init-token <secret>', "the gateway's bootstrap secret (from its log, or CANOPY_INIT_TOKEN)"),
    ).action(async (flags: TokenFlags & { name: string; initToken?: string }) => {
      const admin = await context.client().init({ name: flags.name, initToken: flags.initToken, ...tokenOptions(flags, context.env) });
      saveToken(context.settingsPath, context.registryUrl(), admin.token);
      context.output.note(`✓ initialized: '${admin.name}' is the administrator. Its token (shown only now), saved to ${context.settingsPath}:`);
      context.output.line(admin.token);
      if (context.env.CANOPY_TOKEN) context.output.warn('CANOPY_TOKEN is set in this environment and is used instead of the saved token');
    }),
    ['canopy init-server', 'canopy init-server --registry https://mcp.example.com --init-token 3q9V...'],
  );

  withExamples(
    program
      .command('whoami')
      .summary('show who the token in use belongs to')
      .description('Show the identity of the token the CLI sends (CANOPY_TOKEN or the one `canopy login` saved): a user and its role, or an MCP client and its allow-list. A development-mode gateway needs no identity, and says so.')
      .option('--json', 'print JSON')
      .action(async (options: { json?: boolean }) => {
        const me = await context.client().whoami();
        if (options.json) return context.output.json(me);
        context.output.line(
          me.kind === 'development'
            ? 'nobody: this gateway runs in development mode, where no identity is needed (requests need no token)'
            : me.kind === 'user'
              ? `user ${me.name} (${me.role})`
              : `MCP client ${me.name} (allowed: ${me.allow.join(', ') || 'nothing'})`,
        );
      }),
    ['canopy whoami'],
  );
}
