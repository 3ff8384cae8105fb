// max_response_bytes: a message above the limit fails the call it answers at once, with an error
// naming the limit, and the connection keeps working (stdio, streamable HTTP with SSE or JSON bodies).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { createUpstreamConnection } from '../../main/core/upstream/connection.ts';
import { BoundedLineReader, EnvelopeScanner } from '../../main/core/upstream/message-size.ts';
import { fetchWithResponseLimit } from '../../main/core/upstream/response-limit.ts';
import type { UpstreamConnection } from '../../main/core/upstream/types.ts';
import { faultyStdioConfig, startFaultyHttp } from '../support/faulty-server.ts';
import { config, fastBackoff, textOf } from './helpers.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup().catch(() => {})));
});

const LIMIT = 64 * 1024;

function connect(input: Parameters<typeof config>[0]): UpstreamConnection {
  const connection = createUpstreamConnection(config(input), { backoff: fastBackoff });
  cleanups.push(() => connection.stop());
  return connection;
}

/** Calls a tool with a 20 s request timeout: a call left pending fails the test instead of hanging it. */
async function call(connection: UpstreamConnection, name: string, args: Record<string, unknown>) {
  const client = await connection.ready();
  return client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema, { timeout: 20_000 });
}

async function expectLimitHolds(connection: UpstreamConnection): Promise<void> {
  await connection.start();
  expect(textOf(await call(connection, 'big', { bytes: 1000 }))).toHaveLength(1000);
  await expect(call(connection, 'big', { bytes: 4 * LIMIT })).rejects.toThrow(/larger than the 64 KB limit \(max_response_bytes = 65536\)/);
  // The connection survived the skipped message: the next calls work.
  expect(textOf(await call(connection, 'echo', { text: 'still here' }))).toBe('still here');
  expect(textOf(await call(connection, 'big', { bytes: LIMIT - 1024 }))).toHaveLength(LIMIT - 1024);
  expect(connection.state.status).toBe('running');
}

describe('max_response_bytes', () => {
  it('stdio: an oversized line fails its call at once and the next calls work', async () => {
    await expectLimitHolds(connect(faultyStdioConfig('big-stdio', { max_response_bytes: LIMIT })));
  });

  it('streamable HTTP (SSE responses): an oversized event fails its call and the next calls work', async () => {
    const upstream = await startFaultyHttp();
    cleanups.push(() => upstream.stop());
    await expectLimitHolds(connect({ name: 'big-sse', transport: 'streamable_http', url: upstream.url, max_response_bytes: LIMIT }));
  });

  it('streamable HTTP (JSON responses): an oversized body fails its call and the next calls work', async () => {
    const upstream = await startFaultyHttp({ json: true });
    cleanups.push(() => upstream.stop());
    await expectLimitHolds(connect({ name: 'big-json', transport: 'streamable_http', url: upstream.url, max_response_bytes: LIMIT }));
  });

  it('stdio: a malformed response fails its call at once and the next calls work', async () => {
    const connection = connect(faultyStdioConfig('malformed'));
    await connection.start();
    await expect(call(connection, 'malformed', {})).rejects.toThrow(/sent a malformed response/);
    expect(textOf(await call(connection, 'echo', { text: 'still here' }))).toBe('still here');
  });

  it('is validated in the server config', () => {
    expect(() => config({ name: 'x', command: 'x', max_response_bytes: 10 })).toThrow(/max_response_bytes' must be at least 1024/);
    expect(() => config({ name: 'x', command: 'x', max_response_bytes: 1.5 as never })).toThrow(/max_response_bytes/);
  });
});

/** A loopback HTTP server answering every request with `answer`; its URL. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

describe('the fetch under remote transports', () => {
  const limited = fetchWithResponseLimit({ limitBytes: 1024, text: 'too large' });
  const post = (url: string, signal?: AbortSignal) =>
    limited(url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call' }), signal });

  it('bounds a compressed JSON body by what it inflates to, not by its Content-Length', async () => {
    const inflated = JSON.stringify({ jsonrpc: '2.0', id: 7, result: { text: 'x'.repeat(100_000) } });
    const url = await serve((_req, res) => {
      const body = gzipSync(inflated);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length }).end(body);
    });
    expect(await (await post(url)).json()).toMatchObject({ id: 7, error: { message: 'too large' } });
  });

  it('passes a JSON body whose length says it fits as it came', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 7, result: {} });
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body));
    expect(await (await post(url)).text()).toBe(body);
  });

  it('aborts a running SSE response when the signal shared by the requests aborts', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\n\n');
    });
    const shared = new AbortController();
    const responses = await Promise.all([post(url, shared.signal), post(url, shared.signal)]);
    const readers = responses.map((response) => response.body!.getReader());
    for (const reader of readers) expect((await reader.read()).done).toBe(false);
    shared.abort();
    for (const reader of readers) await expect(reader.read()).rejects.toThrow(/aborted/i);
  });
});

describe('EnvelopeScanner', () => {
  const scan = (text: string, split = 3) => {
    const scanner = new EnvelopeScanner();
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += split) scanner.feed(bytes.subarray(i, i + split));
    return scanner.found;
  };

  it('finds the top-level id wherever it is, never a nested one', () => {
    expect(scan('{"result":{"id":7,"content":[{"id":"x"}]},"jsonrpc":"2.0","id":42}')).toEqual({ id: 42, hasMethod: false });
    expect(scan('{"jsonrpc":"2.0","id":"a-\\"b","result":{}}')).toEqual({ id: 'a-\\"b', hasMethod: false });
    expect(scan('data: {"jsonrpc":"2.0","method":"sampling/createMessage","params":{"id":1},"id":5}')).toEqual({ id: 5, hasMethod: true });
    expect(scan('{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"}{\\"id\\":3"}}')).toEqual({ hasMethod: true });
  });

  it('splits lines and skips an oversized one whole', () => {
    const lines: string[] = [];
    const oversized: unknown[] = [];
    const reader = new BoundedLineReader(10, (line) => lines.push(line.toString()), (found) => oversized.push(found));
    reader.write(Buffer.from('{"id":1}\n{"id":2,"x":"0123'));
    reader.write(Buffer.from('456789"}\n{"id":3}\n'));
    expect(lines).toEqual(['{"id":1}', '{"id":3}']);
    expect(oversized).toEqual([{ id: 2, hasMethod: false }]);
  });
});
