// Enterprise identities: `canopy create user|mcp-client`, `canopy list users|mcp-clients`,
// `canopy update user|mcp-client`, `canopy delete user|mcp-client`, `canopy rotate-token`
// (/users and /clients of the admin API). New tokens are printed once, on stdout.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { commandGroup } from '../command-groups.ts';
import { formatTable } from '../format/table.ts';
import { addTokenFlags, tokenOptions, type TokenFlags } from '../token-flags.ts';
import type { McpClientView, UserRole, UserView } from '../../core/api/contract.ts';

/** `--allow a,b` (repeatable) as a list. */
export function allowList(values: string[] | undefined): string[] | undefined {
  return values?.flatMap((value) => value.split(',')).map((entry) => entry.trim()).filter(Boolean);
}
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** An allow-list as a table cell or a message shows it. */
export const allowed = (allow: string[]) => (allow.length ? allow.join(',') : '(nothing)');

function printToken(context: CliContext, what: string, token: string): void {
  context.output.note(`✓ ${what}. Its token (shown only now; store it safely):`);
  context.output.line(token);
}

function userTable(users: UserView[], width?: number): string[] {
  return formatTable(
    [
      { header: 'NAME', value: (user) => user.name },
      { header: 'ROLE', value: (user) => user.role },
      { header: 'ALLOW (OAUTH)', value: (user) => allowed(user.allow) },
      { header: 'SIGN-IN', value: (user) => [user.ssoLinked ? `sso${user.email ? ` (${user.email})` : ''}` : 'token', ...(user.disabled ? ['DISABLED'] : [])].join(', ') },
      { header: 'TOKEN EXPIRES', value: (user) => user.tokenExpiresAt ?? 'never' },
      { header: 'CREATED', value: (user) => user.createdAt },
    ],
    users,
    width,
  );
}

function clientTable(clients: McpClientView[], width?: number): string[] {
  return formatTable(
    [
      { header: 'NAME', value: (client) => client.name },
      { header: 'ALLOW', value: (client) => allowed(client.allow) },
      { header: 'TOKEN EXPIRES', value: (client) => client.tokenExpiresAt ?? 'never' },
      { header: 'DESCRIPTION', value: (client) => client.description },
    ],
    clients,
    width,
  );
}

export function registerIdentityCommands(program: Command, context: CliContext): void {
  const create = commandGroup(program, 'create');
  const list = commandGroup(program, 'list');
  const update = commandGroup(program, 'update');
  const remove = commandGroup(program, 'delete');

  withExamples(
    addTokenFlags(
      create
        .command('user')
        .argument('<name>', 'user name (letters, digits, "_" and "-")')
        .description('Create a human user (enterprise mode). A user can list servers and tools and invoke tools; an admin can do everything.')
        .option('--role <role>', 'user or admin', 'user')
        .option('--allow <entries>', "what the user's MCP clients may reach when they sign in with OAuth, comma-separated (repeatable); default *", collect)
        .option('--sso', "no token: the person signs in with the company's SSO, and their first login under this name is linked to this user"),
    ).action(async (name: string, flags: TokenFlags & { role: string; allow?: string[]; sso?: boolean }) => {
      if (flags.role !== 'user' && flags.role !== 'admin') throw new CliError(`--role must be "user" or "admin", not "${flags.role}"`);
      const user = await context.client().createUser({ name, role: flags.role as UserRole, allow: allowList(flags.allow), ...(flags.sso ? { sso: true } : {}), ...tokenOptions(flags, context.env) });
      if (!user.token) {
        context.output.note(`✓ created ${user.role} '${user.name}': they sign in with the company's SSO (their first login as ${user.name} is linked to this user)`);
        return;
      }
      printToken(context, `created ${user.role} '${user.name}'`, user.token);
      context.output.note(`They sign in with \`canopy login TOKEN\`.`);
    }),
    ['canopy create user alice', 'canopy create user bob --role admin --expires 90d', 'canopy create user carol --allow github,research', 'canopy create user dana-smith --role admin --sso'],
  );

  withExamples(
    addTokenFlags(
      create
        .command('mcp-client')
        .argument('<name>', 'client name (letters, digits, "_" and "-")')
        .description(
          'Create an MCP client (a machine identity for Cursor, Claude Code, an agent) with an allow-list: server names, ' +
            'single tools as server__tool, group names, or * for everything.',
        )
        .option('--allow <entries>', 'what it may use, comma-separated (repeatable)', collect)
        .option('--description <text>', 'what the client is'),
    ).action(async (name: string, flags: TokenFlags & { allow?: string[]; description?: string }) => {
      const allow = allowList(flags.allow);
      if (!allow) throw new CliError('--allow is required: server names, server__tool, group names, or "*"');
      const client = await context.client().createClient({ name, allow, description: flags.description, ...tokenOptions(flags, context.env) });
      printToken(context, `created MCP client '${client.name}' (allowed: ${allowed(client.allow)})`, client.token);
      context.output.note('Give it to the client as "Authorization: Bearer TOKEN".');
    }),
    ["canopy create mcp-client cursor --allow github,everything__echo", "canopy create mcp-client ci --allow '*' --token '${CI_MCP_TOKEN}'"],
  );

  withExamples(
    list
      .command('users')
      .description('List users and their roles (enterprise mode)')
      .option('--json', 'print JSON (as the admin API returns it)')
      .action(async (options: { json?: boolean }) => {
        const users = await context.client().listUsers();
        if (options.json) return context.output.json(users);
        for (const line of userTable(users, context.output.width)) context.output.line(line);
      }),
    ['canopy list users', 'canopy list users --json'],
  );

  withExamples(
    list
      .command('mcp-clients')
      .description('List MCP clients and their allow-lists (enterprise mode)')
      .option('--json', 'print JSON (as the admin API returns it)')
      .action(async (options: { json?: boolean }) => {
        const clients = await context.client().listClients();
        if (options.json) return context.output.json(clients);
        if (clients.length === 0) return context.output.note('No MCP clients. Create one with `canopy create mcp-client NAME --allow ...`.');
        for (const line of clientTable(clients, context.output.width)) context.output.line(line);
      }),
    ['canopy list mcp-clients'],
  );

  withExamples(
    update
      .command('mcp-client')
      .argument('<name>', 'MCP client name')
      .description("Replace an MCP client's allow-list or description. Its open sessions see the change at once.")
      .option('--allow <entries>', 'the new allow-list, comma-separated (repeatable)', collect)
      .option('--description <text>', 'the new description')
      .action(async (name: string, flags: { allow?: string[]; description?: string }) => {
        if (!flags.allow && flags.description === undefined) throw new CliError('nothing to change: give --allow and/or --description');
        const client = await context.client().updateClient(name, { allow: allowList(flags.allow), description: flags.description });
        context.output.line(`✓ updated '${client.name}' (allowed: ${allowed(client.allow)})`);
      }),
    ['canopy update mcp-client cursor --allow github,team-tools'],
  );

  withExamples(
    update
      .command('user')
      .argument('<name>', 'user name')
      .description(
        "Replace a user's allow-list: what the MCP clients they sign in to with OAuth may reach (each client's rule narrows it further); " +
          'change their role; or disable the user (their token, SSO sign-in and OAuth tokens stop at once) and enable them again. Their open sessions see the change at once.',
      )
      .option('--allow <entries>', 'the new allow-list, comma-separated (repeatable): servers, server__tool, groups, or *', collect)
      .option('--role <role>', 'user or admin')
      .option('--disable', 'refuse the user everywhere until enabled')
      .option('--enable', 'let a disabled user in again')
      .action(async (name: string, flags: { allow?: string[]; role?: string; disable?: boolean; enable?: boolean }) => {
        const allow = allowList(flags.allow);
        if (flags.disable && flags.enable) throw new CliError('give --disable or --enable, not both');
        if (flags.role !== undefined && flags.role !== 'user' && flags.role !== 'admin') throw new CliError(`--role must be "user" or "admin", not "${flags.role}"`);
        const role = flags.role as UserRole | undefined;
        const disabled = flags.disable ? true : flags.enable ? false : undefined;
        if (!allow && !role && disabled === undefined) throw new CliError('nothing to change: give --allow, --role, --disable or --enable');
        const user = await context.client().updateUser(name, { allow, role, disabled });
        context.output.line(`✓ updated ${user.role} '${user.name}' (${user.disabled ? 'disabled' : `allowed through OAuth: ${allowed(user.allow)}`})`);
      }),
    ['canopy update user alice --allow github,research', "canopy update user alice --allow '*'", 'canopy update user dana --role admin', 'canopy update user alice --disable'],
  );

  const deletion = (what: 'user' | 'mcp-client') =>
    withExamples(
      remove
        .command(what)
        .argument('<name>', `${what === 'user' ? 'user' : 'MCP client'} name`)
        .description(`Delete a ${what === 'user' ? 'user' : 'MCP client'}: its token stops working at once (open sessions close).`)
        .action(async (name: string) => {
          const client = context.client();
          await (what === 'user' ? client.deleteUser(name) : client.deleteClient(name));
          context.output.line(`✓ deleted ${what} '${name}'`);
        }),
      [`canopy delete ${what} ${what === 'user' ? 'alice' : 'cursor'}`],
    );
  deletion('user');
  deletion('mcp-client');

  withExamples(
    addTokenFlags(
      program
        .command('rotate-token')
        .argument('<kind>', 'mcp-client or user')
        .argument('<name>', 'whose token')
        .summary('replace a token: the old one stops working at once')
        .description('Issue a new token for an MCP client or a user. The old token stops working at once, on open sessions too.'),
    ).action(async (kind: string, name: string, flags: TokenFlags) => {
      if (kind !== 'mcp-client' && kind !== 'user') throw new CliError(`rotate-token: the kind must be "mcp-client" or "user", not "${kind}"`);
      const client = context.client();
      const options = tokenOptions(flags, context.env);
      const { token } = kind === 'user' ? await client.rotateUserToken(name, options) : await client.rotateClientToken(name, options);
      printToken(context, `rotated the token of ${kind} '${name}'`, token);
    }),
    ['canopy rotate-token mcp-client cursor', 'canopy rotate-token user alice --expires 30d'],
  );
}
