// OAuth client rules: `canopy create|update|delete oauth-client-rule CLIENT_ID`, `canopy list
// oauth-client-rules`, and `canopy update oauth-client-rules --unlisted allow|refuse` (/oauth-clients
// of the admin API). A token reaches what its user's allow-list and its client's rule both allow.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { commandGroup } from '../command-groups.ts';
import { formatTable } from '../format/table.ts';
import type { OAuthClientRulesView, UnlistedOAuthClients } from '../../core/api/contract.ts';
import { allowed, allowList, collect } from './identities.ts';

const CLIENT_ID = 'the client ID, or the URL of its client ID metadata document (e.g. https://claude.ai/oauth/mcp-oauth-client-metadata)';

function unlistedLine(unlisted: UnlistedOAuthClients): string {
  return unlisted === 'allow'
    ? "OAuth clients without a rule reach what their user's allow-list allows (refuse them: `canopy update oauth-client-rules --unlisted refuse`)."
    : 'OAuth clients without a rule are refused (allow them: `canopy update oauth-client-rules --unlisted allow`).';
}

function printRules(context: CliContext, view: OAuthClientRulesView): void {
  if (view.rules.length === 0) context.output.note('No OAuth client rules. Add one with `canopy create oauth-client-rule CLIENT_ID --allow ...`.');
  else {
    const table = formatTable(
      [
        { header: 'CLIENT', value: (rule) => rule.clientId },
        { header: 'ALLOW', value: (rule) => allowed(rule.allow) },
        { header: 'DESCRIPTION', value: (rule) => rule.description },
      ],
      view.rules,
      context.output.width,
    );
    for (const line of table) context.output.line(line);
  }
  context.output.note(unlistedLine(view.unlisted));
}

export function registerOAuthClientRuleCommands(program: Command, context: CliContext): void {
  const create = commandGroup(program, 'create');
  const list = commandGroup(program, 'list');
  const update = commandGroup(program, 'update');
  const remove = commandGroup(program, 'delete');

  withExamples(
    create
      .command('oauth-client-rule')
      .argument('<client-id>', CLIENT_ID)
      .description(
        'Restrict an OAuth client (an MCP client people sign in to, like Claude or VS Code): its tokens reach only what this list and ' +
          "the user's own allow-list both allow. Entries: server names, server__tool, group names, or *.",
      )
      .option('--allow <entries>', 'what the client may reach, comma-separated (repeatable)', collect)
      .option('--description <text>', 'which client this is')
      .action(async (clientId: string, flags: { allow?: string[]; description?: string }) => {
        const allow = allowList(flags.allow);
        if (!allow) throw new CliError('--allow is required: server names, server__tool, group names, or "*"');
        const rule = await context.client().createOAuthClientRule({ clientId, allow, description: flags.description });
        context.output.line(`✓ OAuth client '${rule.clientId}' may reach: ${allowed(rule.allow)} (within each user's allow-list)`);
      }),
    ['canopy create oauth-client-rule https://claude.ai/oauth/mcp-oauth-client-metadata --allow github,research --description Claude'],
  );

  withExamples(
    list
      .command('oauth-client-rules')
      .description('List the OAuth client rules, and whether clients without one are allowed (enterprise mode)')
      .option('--json', 'print JSON (as the admin API returns it)')
      .action(async (options: { json?: boolean }) => {
        const view = await context.client().listOAuthClientRules();
        if (options.json) return context.output.json(view);
        printRules(context, view);
      }),
    ['canopy list oauth-client-rules'],
  );

  withExamples(
    update
      .command('oauth-client-rule')
      .argument('<client-id>', CLIENT_ID)
      .description("Replace an OAuth client rule's allow-list or description. Open sessions see the change at once.")
      .option('--allow <entries>', 'the new allow-list, comma-separated (repeatable)', collect)
      .option('--description <text>', 'the new description')
      .action(async (clientId: string, flags: { allow?: string[]; description?: string }) => {
        if (!flags.allow && flags.description === undefined) throw new CliError('nothing to change: give --allow and/or --description');
        const rule = await context.client().updateOAuthClientRule(clientId, { allow: allowList(flags.allow), description: flags.description });
        context.output.line(`✓ updated the rule of OAuth client '${rule.clientId}' (allowed: ${allowed(rule.allow)})`);
      }),
    ['canopy update oauth-client-rule my-client-id --allow research'],
  );

  withExamples(
    update
      .command('oauth-client-rules')
      .description('Decide what OAuth clients without a rule get: their user\'s allow-list ("allow", the default) or nothing ("refuse").')
      .requiredOption('--unlisted <policy>', 'allow or refuse')
      .action(async (flags: { unlisted: string }) => {
        if (flags.unlisted !== 'allow' && flags.unlisted !== 'refuse') throw new CliError(`--unlisted must be "allow" or "refuse", not "${flags.unlisted}"`);
        const view = await context.client().setUnlistedOAuthClients(flags.unlisted);
        context.output.line(`✓ ${unlistedLine(view.unlisted)}`);
      }),
    ['canopy update oauth-client-rules --unlisted refuse'],
  );

  withExamples(
    remove
      .command('oauth-client-rule')
      .argument('<client-id>', CLIENT_ID)
      .description("Delete an OAuth client rule: the client is then treated as unlisted (the user's allow-list, or refused).")
      .action(async (clientId: string) => {
        await context.client().deleteOAuthClientRule(clientId);
        context.output.line(`✓ deleted the rule of OAuth client '${clientId}'`);
      }),
    ['canopy delete oauth-client-rule my-client-id'],
  );
}
