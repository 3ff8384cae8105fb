// A PostgreSQL URL is kept in preferences without its password; the password lives in the OS
// keychain under an account named after the URL, and is put back only to open the connection.

export interface SplitPostgresUrl {
  /** The URL without a password (safe for preferences, logs, dialogs). */
  url: string;
  password?: string;
}

class PostgresUrlError extends Error {
  override name = 'PostgresUrlError';
}

function parse(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PostgresUrlError(`"${url}" is not a URL: expected postgres://user@host:5432/database`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new PostgresUrlError(`the URL must start with postgres:// (got ${parsed.protocol}//)`);
  }
  if (!parsed.hostname) throw new PostgresUrlError('the URL has no host: expected postgres://user@host:5432/database');
  return parsed;
}

export function splitPostgresUrl(url: string): SplitPostgresUrl {
  const parsed = parse(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = '';
  return { url: parsed.toString(), ...(password ? { password } : {}) };
}

export function withPassword(url: string, password: string | undefined): string {
  const parsed = parse(url);
  if (password) parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** The keychain account of a URL's password: user@host:port/database. */
export function passwordAccount(url: string): string {
  const parsed = parse(url);
  const port = parsed.port || '5432';
  return `postgres:${decodeURIComponent(parsed.username)}@${parsed.hostname}:${port}${parsed.pathname || '/'}`;
}

/** The keychain account of the key that encrypts upstream secrets kept in that database. */
export function secretKeyAccount(url: string): string {
  return `secret-key:${passwordAccount(url)}`;
}

export function hasPassword(url: string): boolean {
  try {
    return parse(url).password !== '';
  } catch {
    return false;
  }
}
