// Human users and MCP clients (machine identities) of an enterprise gateway, and what creating or
// changing one takes. Tokens are shown once, when issued.

export type UserRole = 'admin' | 'user';

export interface UserView {
  name: string;
  role: UserRole;
  /** What the user's OAuth access tokens may reach (met with their client's rule): `*`, servers, `server__tool`, groups. */
  allow: string[];
  /** ISO time after which the token stops working; absent: no expiry (or no static token). */
  tokenExpiresAt?: string;
  /** The email the company IdP gave at the user's last linking sign-in. */
  email?: string;
  /** Signs in through the company IdP (an SSO identity is linked). */
  ssoLinked: boolean;
  /** Refused everywhere (tokens, SSO sign-in, OAuth) until enabled again. */
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface McpClientView {
  name: string;
  description: string;
  /** Server names, `server__tool`, group names, or `*`. */
  allow: string[];
  tokenExpiresAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** Create, rotate and init answer with the new token, shown this once. */
export interface IssuedToken {
  token: string;
}

/** `token`: a custom token (≥ 32 characters, no whitespace) instead of a generated one. */
export interface TokenOptions {
  token?: string;
  /** ISO time; absent: the token does not expire. */
  expiresAt?: string;
}

export interface CreateUserBody extends TokenOptions {
  name: string;
  /** Default `user`. */
  role?: UserRole;
  /** Default `["*"]`. */
  allow?: string[];
  /**
   * A person who signs in only with the company's SSO: no token is issued, and their first SSO login
   * under this name is linked to this user (an existing user with a token never is).
   */
  sso?: boolean;
}

export interface UpdateUserBody {
  allow?: string[];
  /** Promotes or demotes (the last enabled administrator stays one). */
  role?: UserRole;
  /** true disables the user (its token, SSO sign-in and OAuth tokens stop at once); false enables it. */
  disabled?: boolean;
}

export interface CreateClientBody extends TokenOptions {
  name: string;
  allow: string[];
  description?: string;
}

export interface UpdateClientBody {
  allow?: string[];
  description?: string;
}

/** An administrator's rule for one OAuth client: its tokens reach what this list and their user's both allow. */
export interface OAuthClientRuleView {
  /** The client ID, or the URL of the client's ID metadata document. */
  clientId: string;
  description: string;
  allow: string[];
  createdAt: string;
  updatedAt: string;
}

/**
 * `allow`: an OAuth client without a rule reaches what its user's list allows; `refuse`: it is
 * refused (only clients with a rule get in).
 */
export type UnlistedOAuthClients = 'allow' | 'refuse';

export interface OAuthClientRulesView {
  unlisted: UnlistedOAuthClients;
  rules: OAuthClientRuleView[];
}

export interface CreateOAuthClientRuleBody {
  clientId: string;
  allow: string[];
  description?: string;
}

export interface UpdateOAuthClientRuleBody {
  allow?: string[];
  description?: string;
}
