// DNS-rebinding protection. A page on evil.example can make a browser send requests to
// 127.0.0.1:7450 under its own host name; refusing any Host (and Origin) that is not ours stops it.

import { isLoopbackHostname } from '../config/loopback.ts';

export interface OriginPolicy {
  /** Extra host names accepted (e.g. the name a team server is reached by). Empty: loopback only. */
  allowedHosts: string[];
  /** Extra origins accepted (e.g. https://canopy.example.com). */
  allowedOrigins: string[];
}

/** The host name of a Host header value (`name:port`, `[::1]:port`). */
function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  const colon = hostHeader.lastIndexOf(':');
  return colon >= 0 ? hostHeader.slice(0, colon) : hostHeader;
}

/** Returns why the request is refused, or undefined when it may proceed. */
export function refuseForeignOrigin(
  headers: { host?: string; origin?: string },
  policy: OriginPolicy,
): string | undefined {
  const host = headers.host;
  if (!host) return 'missing Host header';
  const hostname = hostnameOf(host).toLowerCase();
  const hostAllowed = isLoopbackHostname(hostname) || policy.allowedHosts.some((h) => h.toLowerCase() === hostname);
  if (!hostAllowed) {
    return `Host '${host}' is not allowed (only loopback names${policy.allowedHosts.length ? ' and CANOPY_ALLOWED_HOSTS' : ''})`;
  }
  const origin = headers.origin;
  if (!origin || origin === 'null') return origin === 'null' ? "Origin 'null' is not allowed" : undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Origin '${origin}' is not a valid origin`;
  }
  if (isLoopbackHostname(url.hostname)) return undefined;
  if (policy.allowedOrigins.includes(url.origin)) return undefined;
  if (policy.allowedHosts.some((h) => h.toLowerCase() === url.hostname.toLowerCase())) return undefined;
  return `Origin '${origin}' is not allowed`;
}

/**
 * Cross-site writes to the admin API. Another page on a loopback port (any local dev server) passes
 * the checks above, and a `text/plain` POST needs no CORS preflight, so without this it could
 * register a stdio server — that is, run a command. Two proofs, each enough on its own:
 * - Origin, which browsers send on every POST/PUT/PATCH/DELETE, must be the gateway's own origin or
 *   an allowed one (requests without Origin — the CLI, scripts — are not from a browser page);
 * - the request must say `Content-Type: application/json`. A page can send another site only the
 *   "simple" content types (text/plain, form encodings) or none without a CORS preflight, and
 *   Canopy never grants one, so this holds even where Origin is missing or stripped.
 */
export function refuseCrossSiteWrite(
  request: { method: string; host?: string; origin?: string; contentType?: string },
  policy: OriginPolicy,
): string | undefined {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return undefined;
  if (request.origin) {
    let origin: URL;
    try {
      origin = new URL(request.origin);
    } catch {
      return `Origin '${request.origin}' is not a valid origin`;
    }
    if (origin.host !== request.host?.toLowerCase() && !policy.allowedOrigins.includes(origin.origin)) {
      return `admin API changes from '${request.origin}' are not allowed (only from Canopy's own pages or CANOPY_ALLOWED_ORIGINS)`;
    }
  }
  const mediaType = request.contentType?.split(';', 1)[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return 'admin API changes must be sent with `Content-Type: application/json` (web pages of other sites cannot send that): add the header';
  }
  return undefined;
}
