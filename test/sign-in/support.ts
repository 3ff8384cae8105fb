// Fixtures of the sign-in tests: an enterprise gateway whose public URL is its own loopback address,
// and an HTTPS server on loopback with a throwaway certificate (client ID metadata documents must be
// https URLs) plus the fetch that trusts it, which the gateway is given instead of its default one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, request as httpsRequest, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { freePort } from '../support/upstreams.ts';
import type { GatewayOptions } from '../../main/core/index.ts';
import type { TestLocation } from '../support/databases.ts';

export interface SignInGateway extends TestGateway {
  adminToken: string;
  publicUrl: string;
}

/** An enterprise gateway (SQLite unless `storeKind`/`location`), initialized unless `initialize: false`, whose public URL is http://127.0.0.1:PORT. */
export async function startSignInGateway(
  options: { storeKind?: 'sqlite' | 'postgres'; location?: TestLocation; initialize?: boolean } & Partial<Omit<GatewayOptions, 'store'>> = {},
): Promise<SignInGateway> {
  const { initialize = true, ...rest } = options;
  const port = options.port ?? (await freePort());
  const publicUrl = `http://127.0.0.1:${port}`;
  const t = await startTestGateway({ storeKind: 'sqlite', mode: 'enterprise', settingsEnv: {}, ...rest, port, publicUrl });
  const adminToken = initialize ? (await t.api.init()).token : '';
  return { ...t, adminToken, publicUrl };
}

/** A certificate for 127.0.0.1 made by openssl for this test run. */
export function throwawayCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore', timeout: 10_000 });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HttpsFixture {
  url: string;
  /** Serves `body` (JSON) at `path`. */
  serve(path: string, body: unknown): void;
  close(): Promise<void>;
}

export async function startHttpsFixture(certificate: { key: string; cert: string }): Promise<HttpsFixture> {
  const documents = new Map<string, string>();
  const server: HttpsServer = createHttpsServer(certificate, (req: IncomingMessage, res: ServerResponse) => {
    const body = documents.get(req.url ?? '');
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve: (path, body) => void documents.set(path, JSON.stringify(body)),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A fetch (GET only, what the authorization server needs) that trusts `ca` and nothing else. */
export function fetchTrusting(ca: string): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    return new Promise<Response>((resolve, reject) => {
      const request = httpsRequest(url, { method: 'GET', ca, headers: Object.fromEntries(new Headers(init?.headers)), signal: init?.signal ?? undefined }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
          resolve(new Response(Buffer.concat(chunks), { status: response.statusCode ?? 500, headers }));
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  }) as typeof fetch;
}
