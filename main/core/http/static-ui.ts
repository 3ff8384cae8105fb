// Serves the built web UI (renderer/ → dist/renderer) at `/`, with a strict CSP. Unknown paths
// without a file extension get index.html (client-side routes).
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { API_PREFIX } from '../model/endpoints.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const UI_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** What `/` says when the gateway runs from a checkout whose UI was never built. */
export const UI_NOT_BUILT =
  'This gateway runs without its web UI. Build it in the Canopy folder with `npm run build` ' +
  '(`npm install` does it too), then reload this page: no restart needed. The MCP endpoint and the CLI work without it.';

/** A path the UI's client-side router would answer: no file extension, not under the admin API. */
export function isUiPage(pathname: string): boolean {
  return extname(pathname) === '' && !pathname.startsWith(`${API_PREFIX}/`);
}

export function uiIsBuilt(rootDir: string): Promise<boolean> {
  return isFile(join(rootDir, 'index.html'));
}

export async function serveUi(rootDir: string, pathname: string): Promise<Response | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const root = normalize(rootDir + sep);
  let file = normalize(join(root, decoded));
  if (!file.startsWith(root)) return undefined;
  if (!(await isFile(file))) {
    if (!isUiPage(decoded)) return undefined;
    file = join(root, 'index.html');
    if (!(await isFile(file))) return undefined;
  }
  const body = await readFile(file);
  const isHtml = file.endsWith('.html');
  return new Response(body, {
    headers: {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'cache-control': isHtml ? 'no-cache' : 'public, max-age=3600',
      ...(isHtml ? { 'content-security-policy': UI_CONTENT_SECURITY_POLICY, 'x-frame-options': 'DENY' } : {}),
    },
  });
}
