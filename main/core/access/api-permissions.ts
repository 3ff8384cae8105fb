// Which identities may call which admin API route. Anything not listed needs an administrator, so a
// new route is closed until it is added here.
//
//   any     every identity: admins, users, MCP clients (clients see only what their allow-list grants)
//   member  users and admins (humans)
//   admin   administrators
//   public  no token (initialization, which has its own check)
//
// A `user` may read the registry, invoke every enabled tool and read every resource; registering, toggling, identities,
// groups, logs, export and the audit log are for administrators. Connections are every user's own.
export type AccessLevel = 'public' | 'any' | 'member' | 'admin';

const RULES: { method: string; path: RegExp; level: AccessLevel }[] = [
  { method: 'POST', path: /^\/init$/, level: 'public' },
  { method: 'GET', path: /^\/(status|whoami)$/, level: 'any' },
  { method: 'GET', path: /^\/(tools|prompts|resources)$/, level: 'any' },
  { method: 'GET', path: /^\/tools\/[^/]+$/, level: 'any' },
  { method: 'POST', path: /^\/tools\/[^/]+\/invoke$/, level: 'any' },
  { method: 'POST', path: /^\/resources\/read$/, level: 'any' },
  { method: 'GET', path: /^\/(servers|groups)(\/[^/]+)?$/, level: 'member' },
  { method: 'GET', path: /^\/overrides$/, level: 'member' },
  // A user's own accounts of per-user servers: the routes act for the signed-in user alone.
  { method: 'GET', path: /^\/connections$/, level: 'member' },
  { method: 'PUT', path: /^\/connections\/[^/]+\/token$/, level: 'member' },
  { method: 'POST', path: /^\/connections\/[^/]+\/authorize$/, level: 'member' },
  { method: 'DELETE', path: /^\/connections\/[^/]+$/, level: 'member' },
];

/** The level a request needs; `path` is relative to /api/v0. */
export function requiredLevel(method: string, path: string): AccessLevel {
  const verb = method === 'HEAD' ? 'GET' : method;
  return RULES.find((rule) => rule.method === verb && rule.path.test(path))?.level ?? 'admin';
}
