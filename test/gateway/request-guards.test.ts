// The guards in front of the router, attacked the way a web page on another loopback port or a
// careless client would: odd spellings of a path, the requests a browser sends without a CORS
// preflight, unknown API paths, and a body far above the limit sent by a client that writes it all
// before reading the answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';

interface Answer {
  status: number;
  body: string;
  contentType: string;
}

/** A request with the path sent exactly as written (fetch and URL would normalize it). */
function raw(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, contentType: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer to ${path} in 20 s`)));
    req.end(options.body);
  });
}

/**
 * Sends the whole body before reading anything, as many HTTP clients do (Python's requests, curl
 * without Expect): the answer only arrives if the server takes the rest of the body (or the client
 * would see a reset instead).
 */
function writeAllThenRead(base: string, path: string, bodyBytes: number): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => socket.destroy(new Error('no answer in 30 s')), 30_000);
    let received = '';
    let sent = false;
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${path}: ${error.message} (body ${sent ? 'sent' : 'not fully sent'})`));
    });
    socket.on('connect', async () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${bodyBytes}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 'x');
      // Only start reading once everything is written.
      socket.pause();
      for (let left = bodyBytes; left > 0; left -= chunk.length) {
        if (!socket.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await new Promise((r) => socket.once('drain', r));
      }
      sent = true;
      socket.on('data', (data) => {
        received += data.toString();
        const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
        if (status && received.includes('\r\n\r\n')) {
          clearTimeout(timer);
          socket.destroy();
          resolve(status[1]);
        }
      });
      socket.resume();
    });
  });
}

const registration = (name: string) => JSON.stringify({ config: { name, transport: 'stdio', command: 'sh', args: ['-c', 'sleep 60'] } });

describe('one canonical path for guards and router', () => {
  let t: TestGateway;
  let rendererDir: string;
  beforeAll(async () => {
    rendererDir = mkdtempSync(join(tmpdir(), 'canopy-ui-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Canopy</title>');
    t = await startTestGateway({ rendererDir });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(rendererDir, { recursive: true, force: true });
  });

  const spellings = [
    '/%61pi/v0/servers',
    '/%41PI/v0/servers',
    '/api%2Fv0%2Fservers',
    '/api%2fv0/servers',
    '/api/v0/%73ervers',
    '//api/v0/servers',
    '/api//v0/servers',
    '/./api/v0/servers',
    '/x/../api/v0/servers',
    '/x/%2e%2e/api/v0/servers',
    '/x/.%2E/api/v0/servers',
    '/x\\..\\api/v0/servers',
    '/api/v0/servers%',
    '/api/v0/servers%zz',
  ];

  it('refuses every other spelling of a path with 400 before any guard or route sees it', async () => {
    for (const [i, path] of spellings.entries()) {
      const headerSets: Record<string, string>[] = [{ origin: 'http://localhost:3000', 'content-type': 'text/plain' }, { 'content-type': 'application/json' }];
      for (const headers of headerSets) {
        const answer = await raw(t.url, path, { method: 'POST', headers, body: registration(`spelled${i}`) });
        expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(400);
        expect(JSON.parse(answer.body).error.message).toMatch(/not in canonical form/);
      }
    }
    for (const path of ['/%6Dcp', '/servers/%2e%2e/mcp', '/servers/x/../../mcp', '/%73se', '/messages/.', '/api/v0/servers/x/../../../mcp']) {
      expect((await raw(t.url, path)).status, path).toBe(400);
    }
    expect(await t.api.listServers()).toEqual([]);
  });

  it('still serves canonical paths that carry encoded characters the router keeps encoded', async () => {
    const answer = await raw(t.url, '/api/v0/servers/no%20such');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).error.message).toMatch(/no such|no server/);
    expect((await raw(t.url, '/api/v0/servers?name=%61%2F..')).status).toBe(200);
  });

  it('takes admin API changes only as JSON, whatever a page can send without a preflight', async () => {
    await t.api.registerServer({ config: stdioConfigs.everything() });
    const port = new URL(t.url).port;
    const origins = [undefined, 'http://localhost:3000', `http://127.0.0.1:${port}`];
    const contentTypes = [undefined, 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain; application/json'];
    const writes = [
      { method: 'POST', path: '/api/v0/servers', body: registration('planted') },
      { method: 'POST', path: '/API/v0/servers', body: registration('planted') },
      { method: 'POST', path: '/api/v0/servers/everything/disable' },
      { method: 'DELETE', path: '/api/v0/servers/everything' },
      { method: 'PUT', path: '/api/v0/groups/g', body: '{"include_servers":["everything"]}' },
      { method: 'POST', path: '/api/v0/init', body: '{}' },
    ];
    for (const write of writes) {
      for (const origin of origins) {
        for (const contentType of contentTypes) {
          const headers = { ...(origin ? { origin } : {}), ...(contentType ? { 'content-type': contentType } : {}) };
          const answer = await raw(t.url, write.path, { method: write.method, headers, body: write.body });
          expect(answer.status, `${write.method} ${write.path} ${JSON.stringify(headers)}`).toBe(403);
        }
      }
    }
    const foreignJson = await raw(t.url, '/api/v0/servers/everything/disable', {
      method: 'POST',
      headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
    });
    expect(foreignJson.status).toBe(403);
    expect(JSON.parse(foreignJson.body).error.message).toMatch(/changes from 'http:\/\/localhost:3000' are not allowed/);
    const plain = await raw(t.url, '/api/v0/servers/everything/disable', { method: 'POST' });
    expect(JSON.parse(plain.body).error.message).toMatch(/Content-Type: application\/json/);

    const servers = await t.api.listServers();
    expect(servers.map((s) => [s.name, s.enabled])).toEqual([['everything', true]]);
    // Its own pages and the CLI (the admin client sends JSON) still change things.
    const own = await raw(t.url, '/api/v0/servers/everything/disable', {
      method: 'POST',
      headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json; charset=utf-8' },
    });
    expect(own.status).toBe(200);
    expect((await t.api.setServerEnabled('everything', true)).enabled).toBe(true);
  }, 60_000);

  it('lets no page start an MCP session with a request it may send cross-site', async () => {
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'page', version: '1' } },
    });
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const answer = await raw(t.url, '/mcp', {
        method: 'POST',
        headers: { origin: 'http://localhost:3000', 'content-type': contentType, accept: 'application/json, text/event-stream' },
        body: initialize,
      });
      expect(answer.status, contentType).toBe(415);
      expect(answer.body).not.toMatch(/serverInfo/);
    }
  });

  it('answers unknown admin API paths with a JSON 404, not the web UI', async () => {
    expect((await raw(t.url, '/some/page')).body).toMatch(/<title>Canopy/);
    for (const [method, path] of [
      ['GET', '/api/v0/nosuch'],
      ['GET', '/api/v0/servers/everything/nosuch'],
      ['GET', '/api/v1/servers'],
      ['POST', '/api/v0/nosuch'],
    ]) {
      const answer = await raw(t.url, path, { method, headers: method === 'POST' ? { 'content-type': 'application/json' } : {}, body: method === 'POST' ? '{}' : undefined });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.contentType).toMatch(/application\/json/);
      expect(JSON.parse(answer.body).error.code).toBe('not_found');
    }
  });

  it('answers a body far above the limit with 413 on every endpoint, also to a client that sends it all first', async () => {
    const sse = await fetch(`${t.url}/sse`);
    const reader = sse.body!.getReader();
    let first = '';
    while (!first.includes('sessionId=')) first += new TextDecoder().decode((await reader.read()).value);
    const messages = /data: (\S+)/.exec(first)![1];
    try {
      for (const path of [messages, '/messages?sessionId=nope', '/mcp', '/servers/everything/mcp', '/api/v0/servers']) {
        expect(await writeAllThenRead(t.url, path, 10 * 1024 * 1024), path).toBe('413');
      }
    } finally {
      await reader.cancel();
    }
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  }, 60_000);
});

describe('an enterprise gateway before initialization', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ mode: 'enterprise' });
  }, 60_000);
  afterAll(async () => t?.close());

  it('cannot be initialized by another page, whatever the spelling', async () => {
    const body = JSON.stringify({ token: 'an-attacker-chosen-token-that-is-long-enough' });
    for (const path of ['/%61pi/v0/init', '/api/v0/init', '/api/v0/./init', '/API/v0/init']) {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
        const answer = await raw(t.url, path, { method: 'POST', headers: { origin: 'http://127.0.0.1:1', 'content-type': contentType }, body });
        expect([400, 403], `${path} ${contentType}`).toContain(answer.status);
      }
    }
    expect(await (await fetch(`${t.url}/health`)).json()).toMatchObject({ initialized: false });
    expect((await t.api.init()).role).toBe('admin');
  });
});
