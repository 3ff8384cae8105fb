// The stdio bridge for real: spawned as a process, pointed at server-everything's streamable-HTTP
// endpoint, driven by the SDK client over stdio.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startEverythingHttp, freePort, type RunningHttpUpstream } from '../support/upstreams.ts';

const bridgeArgs = (url: string) => ['bin/run-ts.mjs', 'main/desktop/bridge-entry.ts', 'stdio-bridge', '--url', url];

let upstream: RunningHttpUpstream;
beforeAll(async () => {
  upstream = await startEverythingHttp();
});
afterAll(async () => {
  await upstream?.stop();
});

it('relays requests, notifications and server→client requests both ways', async () => {
  const transport = new StdioClientTransport({ command: process.execPath, args: bridgeArgs(upstream.url), stderr: 'pipe' });
  const client = new Client({ name: 'bridge-test', version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
    role: 'assistant',
    model: 'test-model',
    content: { type: 'text', text: `sampled: ${request.params.maxTokens}` },
  }));
  await client.connect(transport);
  try {
    expect(client.getServerVersion()?.name).toMatch(/everything/i);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'trigger-sampling-request']));

    const echoed = await client.callTool({ name: 'echo', arguments: { message: 'hello through the bridge' } });
    expect(JSON.stringify(echoed.content)).toContain('hello through the bridge');

    // The upstream asks the client (through the bridge) to sample, and gets our answer back.
    const sampled = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 7 } });
    expect(JSON.stringify(sampled.content)).toContain('sampled: 7');

    // Progress notifications flow from the upstream to the client.
    const progress: number[] = [];
    await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 3 } },
      undefined,
      { onprogress: (event) => progress.push(event.progress) },
    );
    expect(progress.length).toBeGreaterThanOrEqual(2);
  } finally {
    await client.close();
  }
});

it('the self-contained bundle the desktop app ships relays too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-bridge-bundle-'));
  try {
    const outfile = join(dir, 'stdio-bridge.cjs');
    // As scripts/build-desktop.mjs bundles it: CommonJS, every package inlined.
    await build({ entryPoints: ['main/desktop/bridge-entry.ts'], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
    const transport = new StdioClientTransport({ command: process.execPath, args: [outfile, 'stdio-bridge', '--url', upstream.url], cwd: dir, stderr: 'pipe' });
    const client = new Client({ name: 'bridge-test', version: '1.0.0' });
    await client.connect(transport);
    const echoed = await client.callTool({ name: 'echo', arguments: { message: 'bundled' } });
    expect(JSON.stringify(echoed.content)).toContain('bundled');
    await client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('exits cleanly when stdin closes', async () => {
  const child = spawn(process.execPath, bridgeArgs(upstream.url), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdin.end();
  const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
  expect(await exited).toBe(0);
  clearTimeout(timeout);
  expect(stderr).toBe('');
});

it('answers a request with a clear error when the gateway is not reachable', async () => {
  const port = await freePort();
  const transport = new StdioClientTransport({ command: process.execPath, args: bridgeArgs(`http://127.0.0.1:${port}/mcp`), stderr: 'pipe' });
  const errors: string[] = [];
  transport.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const client = new Client({ name: 'bridge-test', version: '1.0.0' });
  await expect(client.connect(transport)).rejects.toThrow(/Canopy is not reachable at http:\/\/127\.0\.0\.1:\d+\/mcp/);
  await client.close();
  expect(errors.join('')).toMatch(/canopy stdio-bridge: /);
});
