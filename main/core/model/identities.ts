// Human users and MCP clients (machine identities) of an enterprise gateway, and what creating or
// changing one takes. Tokens are shown once, when issued.

export type UserRole = 'admin' | 'user';

export interface UserView {
  name: string;
  role: UserRole;
  /** ISO time after which the token stops working; absent: no expiry. */
  tokenExpiresAt?: string;
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
