// Guards and the router must judge the same path. `/%61pi/v0/servers` is `/api/v0/servers` to the
// router but not to a guard that reads the raw path; normalizing in two places drifts. So a request
// whose path is not in one canonical form is refused before any guard or route sees it: no
// percent-encoded letters, digits, `-._~`, `/`, `\` or control characters, no empty (`//`), `.` or
// `..` segments, nothing outside RFC 3986's path characters. Such a path decodes to the same
// segments in every parser (Hono, WHATWG URL, the guards), so the raw path is the routed one.

const PATH_CHARACTERS = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** The path part of a request target (`/a/b?x=1` → `/a/b`). */
export function pathOf(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

/** Why the request target's path is not canonical, or undefined when it is. */
export function nonCanonicalPath(target: string): string | undefined {
  const path = pathOf(target);
  if (!PATH_CHARACTERS.test(path)) return 'it must be an absolute path of URL path characters';
  for (const escape of path.matchAll(/%(.{0,2})/g)) {
    const hex = escape[1];
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return `'%${hex}' is not a percent-encoded byte`;
    const char = String.fromCharCode(parseInt(hex, 16));
    if (UNRESERVED.test(char) || char === '/' || char === '\\' || char < ' ' || char === '\x7f') {
      return `'%${hex}' encodes a character that must be written as is`;
    }
  }
  const segments = path.split('/').slice(1);
  if (segments.slice(0, -1).includes('')) return "it has an empty segment ('//')";
  if (segments.some((segment) => segment === '.' || segment === '..')) return "it has a '.' or '..' segment";
  return undefined;
}
