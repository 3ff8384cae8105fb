// Naming rules shared by every entry point (config files, API bodies, CLI flags).
// Tools and prompts are exposed as `{server}__{name}`, so a server name may not itself contain `__`
// nor end in `_` (which would make the split ambiguous).

export const NAME_SEPARATOR = '__';
const SERVER_NAME = /^[a-zA-Z0-9_-]+$/;
const MAX_SERVER_NAME_LENGTH = 64;

/** Returns why `name` is not a valid server name, or undefined when it is. */
export function serverNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > MAX_SERVER_NAME_LENGTH) return `must be at most ${MAX_SERVER_NAME_LENGTH} characters`;
  if (!SERVER_NAME.test(name)) return 'may contain only letters, digits, "_" and "-"';
  if (name.includes(NAME_SEPARATOR)) return 'must not contain "__"';
  if (name.endsWith('_')) return 'must not end in "_"';
  return undefined;
}

/** What MCP clients accept as a tool or prompt name (Claude refuses any other). */
const EXPOSABLE_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_EXPOSED_NAME_LENGTH = 64;

export function isExposableName(name: string): boolean {
  return EXPOSABLE_NAME.test(name);
}

export function qualifiedName(server: string, name: string): string {
  return `${server}${NAME_SEPARATOR}${name}`;
}

/** Splits `server__name` at the first separator; undefined when there is none. */
export function splitQualifiedName(qualified: string): { server: string; name: string } | undefined {
  const at = qualified.indexOf(NAME_SEPARATOR);
  if (at <= 0) return undefined;
  const name = qualified.slice(at + NAME_SEPARATOR.length);
  if (name.length === 0) return undefined;
  return { server: qualified.slice(0, at), name };
}

// Resource URIs of the aggregated endpoint are `canopy://{server}/{original URI}`: the original URI
// stays readable, templates map the same way (the prefix contains no template expression), and the
// mapping round-trips exactly.
const RESOURCE_PREFIX = 'canopy://';

export function qualifiedResourceUri(server: string, uri: string): string {
  return `${RESOURCE_PREFIX}${server}/${uri}`;
}

export function splitQualifiedResourceUri(qualified: string): { server: string; uri: string } | undefined {
  if (!qualified.startsWith(RESOURCE_PREFIX)) return undefined;
  const rest = qualified.slice(RESOURCE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  return { server: rest.slice(0, slash), uri: rest.slice(slash + 1) };
}
