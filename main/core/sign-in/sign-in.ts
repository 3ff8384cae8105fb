// Enterprise sign-in, assembled: the authorization server, its /sign-in pages, and the purge of
// expired records. createGateway builds it when a public URL is set.
import { Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { JWK } from 'jose';
import type { SignInSettings } from '../config/sign-in-settings.ts';
import type { Store } from '../store/open.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { SignInParts } from '../http/server.ts';
import { loadSignInKeys } from './keys.ts';
import { createAuthorizationServer } from './authorization-server.ts';
import { htmlPage, PAGE_HEADERS } from './pages.ts';
import { escapeHtml } from '../http/html.ts';
import { createSignInPages } from './interactions.ts';
import { WebSessions } from './web-sessions.ts';

const PURGE_INTERVAL_MS = 10 * 60_000;
const NOT_SET_UP = 'This gateway has no company sign-in yet: set CANOPY_SSO_ISSUER, CANOPY_SSO_CLIENT_ID (and CANOPY_SSO_CLIENT_SECRET) and restart it.';

export interface SignInOptions {
  signIn: SignInSettings;
  store: Store;
  secrets: SecretStore;
  logger: Logger;
  /** The Canopy user a name refers to, when that user may act (exists, not disabled). */
  activeUser(name: string): { name: string; since: string } | undefined;
  /** After an SSO login created or linked a user: reload access here, tell the replicas. */
  usersChanged(): Promise<void>;
  /** See AuthorizationServerOptions.clientMetadataFetch. */
  clientMetadataFetch?: typeof fetch;
}

export interface SignIn {
  readonly http: SignInParts;
  /** Canopy's issuer and the public keys its access tokens are signed with (for the resource-server side). */
  readonly issuer: string;
  readonly jwks: { keys: JWK[] };
  /** True when people can sign in through the company IdP (CANOPY_SSO_ISSUER is set). */
  readonly sso: boolean;
  /** The user a request's web UI session cookie signs in (for the admin API only), if any. */
  sessionUser(request: Request): Promise<string | undefined>;
  start(): void;
  stop(): void;
}

export async function createSignIn(options: SignInOptions): Promise<SignIn> {
  const keys = await loadSignInKeys(options.store.settings, options.secrets);
  const server = createAuthorizationServer({
    signIn: options.signIn,
    keys,
    records: options.store.signInRecords,
    activeUser: options.activeUser,
    logger: options.logger,
    clientMetadataFetch: options.clientMetadataFetch,
  });
  const { sso } = options.signIn;
  const webSessions = new WebSessions(options.store.signInRecords, keys.sealing, options.signIn.publicUrl.startsWith('https:'));
  const pages = sso
    ? createSignInPages({
        signIn: { ...options.signIn, sso },
        provider: server.provider,
        store: options.store,
        sealingKey: keys.sealing,
        webSessions,
        isActive: (name) => options.activeUser(name) !== undefined,
        usersChanged: options.usersChanged,
        logger: options.logger,
      })
    : new Hono<{ Bindings: HttpBindings }>().all('/sign-in/*', () =>
        new Response(htmlPage('Canopy: sign-in is not set up', `<p>${escapeHtml(NOT_SET_UP)}</p>`), { status: 503, headers: PAGE_HEADERS }),
      );

  let purgeTimer: NodeJS.Timeout | undefined;
  const purge = () =>
    options.store.signInRecords.purgeExpired().catch((error: unknown) => options.logger.warn({ reason: (error as Error).message }, 'could not delete expired sign-in records'));
  return {
    http: { serves: server.serves, crossOrigin: server.crossOrigin, handle: server.handle, pages },
    issuer: options.signIn.issuer,
    jwks: server.jwks,
    sso: sso !== undefined,
    async sessionUser(request) {
      const session = await webSessions.userOf(request.headers.get('cookie'));
      const user = session && options.activeUser(session.user);
      // A session from before its user existed was a deleted user's of the same name.
      return user && session.at >= Math.floor(Date.parse(user.since) / 1000) ? user.name : undefined;
    },
    start() {
      void purge();
      purgeTimer = setInterval(() => void purge(), PURGE_INTERVAL_MS).unref();
    },
    stop() {
      clearInterval(purgeTimer);
    },
  };
}
