// Administration of OAuth client rules: per client (by client ID or client ID metadata document
// URL) the allow-list its tokens are met with, and whether clients without a rule get in at all.
// Every write is one transaction; afterwards `committed()` reloads access here and on the replicas.
import { badRequest, conflict, notFound } from '../errors.ts';
import type { Store } from '../store/open.ts';
import type { OAuthClientRuleRecord } from '../store/oauth-client-rules.ts';
import type {
  CreateOAuthClientRuleBody,
  OAuthClientRulesView,
  OAuthClientRuleView,
  UnlistedOAuthClients,
  UpdateOAuthClientRuleBody,
} from '../model/identities.ts';
import { UNLISTED_OAUTH_CLIENTS_SETTING } from './access-control.ts';
import { checkAllowList } from './identity-admin.ts';

export interface OAuthClientAdminOptions {
  store: Store;
  /** Called after each committed write: reload access here, notify replicas. */
  committed: () => Promise<void>;
}

/** Client IDs are opaque strings (or https URLs): anything printable, without spaces, of a sane length. */
function checkClientId(clientId: string): void {
  if (clientId.length === 0 || clientId.length > 2048 || /[\s\p{Cc}]/u.test(clientId)) {
    throw badRequest(`'${clientId}' is not an OAuth client ID: give the client's ID or the URL of its metadata document (no spaces, at most 2048 characters)`);
  }
}

const ruleView = (rule: OAuthClientRuleRecord): OAuthClientRuleView => ({ ...rule });

const missing = (clientId: string) => notFound(`no rule for OAuth client '${clientId}': see \`canopy list oauth-client-rules\``);

export class OAuthClientAdmin {
  constructor(private readonly options: OAuthClientAdminOptions) {}

  private get store(): Store {
    return this.options.store;
  }

  async list(): Promise<OAuthClientRulesView> {
    const [rules, unlisted] = await Promise.all([this.store.oauthClientRules.list(), this.store.settings.get(UNLISTED_OAUTH_CLIENTS_SETTING)]);
    return { unlisted: unlisted === 'refuse' ? 'refuse' : 'allow', rules: rules.map(ruleView) };
  }

  async create(body: CreateOAuthClientRuleBody): Promise<OAuthClientRuleView> {
    checkClientId(body.clientId);
    const allow = checkAllowList(body.allow);
    const rule = await this.store.transaction(async (tx) => {
      if (await tx.oauthClientRules.get(body.clientId)) throw conflict(`OAuth client '${body.clientId}' has a rule: change it with \`canopy update oauth-client-rule\``);
      return tx.oauthClientRules.insert({ clientId: body.clientId, description: body.description ?? '', allow });
    });
    await this.options.committed();
    return ruleView(rule);
  }

  async update(clientId: string, body: UpdateOAuthClientRuleBody): Promise<OAuthClientRuleView> {
    const allow = body.allow ? checkAllowList(body.allow) : undefined;
    const rule = await this.store.transaction(async (tx) => {
      if (!(await tx.oauthClientRules.update(clientId, { allow, description: body.description }))) throw missing(clientId);
      return (await tx.oauthClientRules.get(clientId))!;
    });
    await this.options.committed();
    return ruleView(rule);
  }

  async delete(clientId: string): Promise<void> {
    if (!(await this.store.oauthClientRules.delete(clientId))) throw missing(clientId);
    await this.options.committed();
  }

  async setUnlisted(unlisted: UnlistedOAuthClients): Promise<OAuthClientRulesView> {
    await this.store.transaction((tx) => tx.settings.set(UNLISTED_OAUTH_CLIENTS_SETTING, unlisted));
    await this.options.committed();
    return this.list();
  }
}
