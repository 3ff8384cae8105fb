// The pages a person sees while signing in (everything under /sign-in):
//   GET  /sign-in/interaction/:uid          an MCP client's authorization: off to the company IdP to
//                                           log in, or the consent page once logged in
//   POST /sign-in/interaction/:uid/consent  Approve or Deny (CSRF token of this interaction)
//   GET  /sign-in/callback                  back from the IdP: the login becomes a Canopy user
//   GET  /sign-in/ui                        the web UI's "Sign in with SSO"
//   POST /sign-in/ui/sign-out               ends the web UI's session
// A login's `state` is single-use and bound to the browser that started it (a cookie whose hash the
// pending login keeps). Pages are never framed and escape every value.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type Provider from 'oidc-provider';
import type { SignInSettings, SsoSettings } from '../config/sign-in-settings.ts';
import type { Store } from '../store/open.ts';
import type { Logger } from '../telemetry/logger.ts';
import { readBodyLimited } from '../http/read-body.ts';
import { escapeHtml } from '../http/html.ts';
import { CALLBACK_PATH, CompanyLogin, type PendingLogin } from './company-login.ts';
import { userForLogin } from './sso-users.ts';
import { RecordAdapter } from './record-adapter.ts';
import { hashToken, sameHash } from '../access/tokens.ts';
import { htmlPage, PAGE_HEADERS } from './pages.ts';
import type { WebSessions } from './web-sessions.ts';

type SignInContext = Context<{ Bindings: HttpBindings }>;

const LOGIN_TTL_SECONDS = 10 * 60;
const MAX_FORM_BYTES = 16 * 1024;

/** A login between the redirect to the IdP and its callback. */
interface LoginRecord extends PendingLogin {
  /** The MCP client's authorization it belongs to; absent: the web UI's sign-in. */
  interaction?: string;
  /** SHA-256 of the browser-binding cookie. */
  browser: string;
  [field: string]: unknown;
}

export interface InteractionOptions {
  signIn: SignInSettings & { sso: SsoSettings };
  provider: Provider;
  store: Store;
  sealingKey: Buffer;
  webSessions: WebSessions;
  /** The user may act now (exists, not disabled). */
  isActive(name: string): boolean;
  /** After a user was created or linked: reload access here, tell the replicas. */
  usersChanged(): Promise<void>;
  logger: Logger;
}

function page(title: string, body: string, status = 200): Response {
  return new Response(htmlPage(title, body), { status, headers: PAGE_HEADERS });
}

const failure = (message: string, status = 400) => page('Canopy: sign-in failed', `<p>${escapeHtml(message)}</p>`, status);

const EXPIRED = 'This sign-in request is unknown, was already used, or has expired. Start again from your MCP client.';

export function createSignInPages(options: InteractionOptions): Hono<{ Bindings: HttpBindings }> {
  const { provider, signIn, sealingKey } = options;
  const secure = signIn.publicUrl.startsWith('https:');
  const loginCookie = secure ? '__Host-canopy-login' : 'canopy-login';
  const login = new CompanyLogin(signIn, options.logger);
  const logins = new RecordAdapter('CompanyLogin', options.store.signInRecords, sealingKey);
  const csrfToken = (uid: string) => createHmac('sha256', sealingKey).update(`consent|${uid}`).digest('base64url');
  const app = new Hono<{ Bindings: HttpBindings }>();

  /** Sends the browser to the IdP; the pending login is stored under its state, bound to this browser. */
  const startLogin = async (c: SignInContext, interaction?: string) => {
    const state = randomBytes(32).toString('base64url');
    const binding = randomBytes(32).toString('base64url');
    let started: Awaited<ReturnType<CompanyLogin['start']>>;
    try {
      started = await login.start(state);
    } catch (error) {
      options.logger.warn({ reason: (error as Error).message }, 'could not start a company sign-in');
      return failure(`${(error as Error).message}. Try again later or tell an administrator.`, 502);
    }
    const record: LoginRecord = { ...started.pending, browser: hashToken(binding), ...(interaction ? { interaction } : {}) };
    await logins.upsert(state, record, LOGIN_TTL_SECONDS);
    // Lax: the cookie must come back on the IdP's top-level redirect to the callback.
    setCookie(c, loginCookie, binding, { path: '/', httpOnly: true, secure, sameSite: 'Lax', maxAge: LOGIN_TTL_SECONDS });
    return c.redirect(started.url, 303);
  };

  app.get('/sign-in/interaction/:uid', async (c) => {
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
    } catch {
      return failure(EXPIRED);
    }
    if (details.uid !== c.req.param('uid')) return failure(EXPIRED);
    if (details.prompt.name === 'login') return startLogin(c, details.uid);
    if (details.prompt.name !== 'consent' || !details.session) return failure(`This request needs "${details.prompt.name}", which Canopy does not offer.`);
    if (!options.isActive(details.session.accountId)) return failure(`Your Canopy account '${details.session.accountId}' is disabled or gone. Ask an administrator.`, 403);
    const client = await provider.Client.find(details.params.client_id);
    if (!client) return failure(EXPIRED);
    const name = client.clientName ?? client.clientId;
    const redirectHost = details.params.redirect_uri ? new URL(details.params.redirect_uri).host : '(none)';
    const scopes = (details.params.scope ?? '').split(' ').filter(Boolean);
    const resources = ([] as unknown[]).concat(details.params.resource ?? []).map(String);
    const uid = escapeHtml(details.uid);
    return page(
      'Allow access to Canopy?',
      `<p><strong>${escapeHtml(name)}</strong>${client.clientIdMetadataDocument ? '' : ' (registered itself with this gateway; the name is its own claim)'} wants to use Canopy as <strong>${escapeHtml(details.session.accountId)}</strong>.</p>` +
        `<p>It will receive access at <strong>${escapeHtml(redirectHost)}</strong>.</p>` +
        `<p>Access: ${scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(' ')}${resources.length ? ` to ${resources.map((r) => `<code>${escapeHtml(r)}</code>`).join(', ')}` : ''}</p>` +
        (client.clientIdMetadataDocument ? `<p>Client ID: <code>${escapeHtml(client.clientId)}</code></p>` : '') +
        `<form method="post" action="/sign-in/interaction/${uid}/consent">` +
        `<input type="hidden" name="csrf" value="${escapeHtml(csrfToken(details.uid))}">` +
        `<button type="submit" name="decision" value="approve">Approve</button> <button type="submit" name="decision" value="deny">Deny</button></form>`,
    );
  });

  app.post('/sign-in/interaction/:uid/consent', async (c) => {
    const body = await readBodyLimited(c.env.incoming, MAX_FORM_BYTES);
    if (!body.ok) return failure('The form is too large.', 413);
    const form = new URLSearchParams(body.text);
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
    } catch {
      return failure(EXPIRED);
    }
    const expected = Buffer.from(csrfToken(details.uid));
    const given = Buffer.from(form.get('csrf') ?? '');
    if (details.uid !== c.req.param('uid') || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return failure('This form did not come from the consent page Canopy showed (missing or wrong CSRF token). Start again from your MCP client.', 403);
    }
    if (details.prompt.name !== 'consent' || !details.session) return failure(EXPIRED);
    if (form.get('decision') !== 'approve') {
      await provider.interactionFinished(c.env.incoming, c.env.outgoing, { error: 'access_denied', error_description: 'the user denied access' }, { mergeWithLastSubmission: false });
      return RESPONSE_ALREADY_SENT;
    }
    if (!options.isActive(details.session.accountId)) return failure(`Your Canopy account '${details.session.accountId}' is disabled or gone. Ask an administrator.`, 403);
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const { missingOIDCScope, missingResourceScopes } = details.prompt.details;
    if (missingOIDCScope?.length) grant.addOIDCScope(missingOIDCScope.join(' '));
    for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(c.env.incoming, c.env.outgoing, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return RESPONSE_ALREADY_SENT;
  });

  app.get(CALLBACK_PATH, async (c) => {
    const query = new URL(c.req.url).searchParams;
    const state = query.get('state') ?? '';
    const binding = getCookie(c, loginCookie);
    const record = state ? ((await logins.find(state)) as LoginRecord | undefined) : undefined;
    // Single use, and only in the browser that started it: a replayed or foreign state stops here.
    if (!record || !binding || !sameHash(record.browser, hashToken(binding)) || !(await logins.consumeOnce(state))) {
      return failure('This sign-in response is unknown, was already used, or belongs to another browser. Start again.');
    }
    deleteCookie(c, loginCookie, { path: '/', secure });
    if (query.get('error')) return failure(`The company sign-in refused: ${query.get('error_description') ?? query.get('error')}`, 403);
    let outcome: Awaited<ReturnType<typeof userForLogin>>;
    try {
      const completed = await login.complete(query, state, record);
      outcome = await userForLogin(options.store, signIn.sso, completed.claims, completed.groups);
    } catch (error) {
      options.logger.warn({ reason: (error as Error).message }, 'a company sign-in failed');
      return failure(`The company sign-in could not be completed: ${(error as Error).message}`);
    }
    if (!outcome.ok) return failure(outcome.reason, 403);
    if (outcome.changed) await options.usersChanged();
    const user = outcome.user.name;
    if (!record.interaction) {
      const session = await options.webSessions.create(user);
      setCookie(c, options.webSessions.cookieName, session.id, { path: '/', httpOnly: true, secure, sameSite: 'Strict', maxAge: session.ttlSeconds });
      return c.redirect('/', 303);
    }
    const interaction = await provider.Interaction.find(record.interaction);
    if (!interaction) return failure(EXPIRED);
    interaction.result = { login: { accountId: user } };
    await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
    return c.redirect(interaction.returnTo, 303);
  });

  app.get('/sign-in/ui', (c) => startLogin(c));
  app.post('/sign-in/ui/sign-out', async (c) => {
    // The session cookie is SameSite=Strict, yet a page on another port of a loopback host is the same
    // site: only Canopy's own pages (Origin = the public URL; browsers send Origin on every POST) may sign out.
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== signIn.publicUrl) return failure(`Signing out is only possible from Canopy's own pages, not from ${origin}.`, 403);
    const id = getCookie(c, options.webSessions.cookieName);
    if (id) await options.webSessions.end(id);
    deleteCookie(c, options.webSessions.cookieName, { path: '/', secure });
    return c.body(null, 204);
  });
  return app;
}
