// The audit log over the admin API: GET /audit?client=&server=&since=&limit=, and the middleware
// that records every admin change (any request but a read; tool invocations are recorded as tool
// calls by the gateway itself).
import { Hono, type MiddlewareHandler } from 'hono';
import { badRequest } from '../errors.ts';
import type { ApiEnv } from '../access/access-guard.ts';
import { API_PREFIX } from './contract.ts';
import type { AuditTrail } from '../telemetry/audit-trail.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function auditRoutes(audit: AuditTrail | undefined): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  api.get('/audit', async (c) => {
    if (!audit) throw badRequest('the audit log is kept in enterprise mode only: start the gateway with --enterprise');
    const limit = c.req.query('limit');
    if (limit !== undefined && !/^\d+$/.test(limit)) throw badRequest(`limit '${limit}' is not a number`);
    return c.json(
      await audit.query({
        client: c.req.query('client'),
        server: c.req.query('server'),
        since: c.req.query('since'),
        limit: limit === undefined ? undefined : Number(limit),
      }),
    );
  });
  return api;
}

/** A path segment decoded; kept as it came when it is not valid percent-encoding. */
function decodeOrKeep(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Records each admin change: who, which route, the outcome (refusals included), how long. */
export function auditAdminChanges(audit: AuditTrail | undefined): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const path = c.req.path.slice(API_PREFIX.length);
    if (!audit || READS.has(c.req.method) || /^\/tools\/[^/]+\/invoke$/.test(path)) return next();
    const started = performance.now();
    await next();
    const principal = c.get('principal');
    const [collection, name] = path.split('/').slice(1).map(decodeOrKeep);
    audit.record({
      actorKind: principal?.kind ?? 'anonymous',
      actor: principal?.name ?? '-',
      action: `${c.req.method} ${path}`,
      server: collection === 'servers' ? name : undefined,
      // OAuth client rules name their client in the query (a client ID may be a URL).
      target: name ?? c.req.query('client_id'),
      outcome: c.res.status < 400 ? 'ok' : c.res.status === 401 || c.res.status === 403 ? 'denied' : 'error',
      durationMs: performance.now() - started,
      detail: c.res.status < 400 ? undefined : `HTTP ${c.res.status}`,
    });
  };
}
