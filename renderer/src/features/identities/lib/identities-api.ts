// MCP clients and users (enterprise mode). The admin API for them is not in contract.ts yet: these
// small functions assume `GET/POST /api/v0/clients`, `DELETE /api/v0/clients/:name`,
// `POST /api/v0/clients/:name/rotate` (same for /users), and a `token` in create/rotate responses.
// When AdminClient gains these methods, the functions below become one-line calls to it.
import { API_PREFIX, type ErrorBody } from '../../../../../main/core/api/contract.ts';
import { ApiError } from '../../../../../main/core/api/client.ts';
import type { GatewayConnection } from '../../../lib/desktop-bridge.ts';

export interface McpClientView {
  name: string;
  description?: string;
  /** Server names, `server__tool`, groups, or `*`. */
  allow: string[];
  createdAt?: string;
}

export type UserRole = 'admin' | 'user';

export interface UserView {
  name: string;
  role: UserRole;
  createdAt?: string;
}

export interface CreateClientBody {
  name: string;
  allow: string[];
  description?: string;
}

export interface CreateUserBody {
  name: string;
  role: UserRole;
}

/** Create and rotate answer with the new token, shown to the user once. */
export interface IssuedToken {
  token: string;
}

async function request<T>(connection: GatewayConnection, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (connection.token) headers.authorization = `Bearer ${connection.token}`;
  let response: Response;
  try {
    response = await fetch(`${connection.baseUrl}${API_PREFIX}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError('network', 'cannot reach Canopy: is it running?', 0);
  }
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (parsed as ErrorBody | undefined)?.error;
    throw new ApiError(error?.code ?? 'internal', error?.message ?? `HTTP ${response.status}`, response.status);
  }
  return parsed as T;
}

const path = (collection: 'clients' | 'users', name?: string, action?: string) =>
  `/${collection}${name ? `/${encodeURIComponent(name)}` : ''}${action ? `/${action}` : ''}`;

export const identitiesApi = {
  listClients: (c: GatewayConnection) => request<McpClientView[]>(c, 'GET', path('clients')),
  createClient: (c: GatewayConnection, body: CreateClientBody) => request<McpClientView & IssuedToken>(c, 'POST', path('clients'), body),
  rotateClient: (c: GatewayConnection, name: string) => request<IssuedToken>(c, 'POST', path('clients', name, 'rotate')),
  deleteClient: (c: GatewayConnection, name: string) => request<void>(c, 'DELETE', path('clients', name)),

  listUsers: (c: GatewayConnection) => request<UserView[]>(c, 'GET', path('users')),
  createUser: (c: GatewayConnection, body: CreateUserBody) => request<UserView & IssuedToken>(c, 'POST', path('users'), body),
  rotateUser: (c: GatewayConnection, name: string) => request<IssuedToken>(c, 'POST', path('users', name, 'rotate')),
  deleteUser: (c: GatewayConnection, name: string) => request<void>(c, 'DELETE', path('users', name)),
};
