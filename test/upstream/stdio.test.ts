// stdio upstreams against real servers from npm (server-everything, server-memory), run with node.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/client';
import { createUpstreamConnection } from '../../main/core/upstream/connection.ts';
import type { UpstreamConnection, UpstreamState } from '../../main/core/upstream/types.ts';
import { everythingEntry, stdioConfigs } from '../support/upstreams.ts';
import { config, fastBackoff, textOf, waitFor, waitForStatus } from './helpers.ts';
import { processAlive } from '../../main/core/upstream/process-group.ts';

const started: UpstreamConnection[] = [];
function connect(...args: Parameters<typeof createUpstreamConnection>): UpstreamConnection {
  const connection = createUpstreamConnection(args[0], { backoff: fastBackoff, killGraceMs: 1_000, ...args[1] });
  started.push(connection);
  return connection;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((connection) => connection.stop()));
});

describe('stdio upstream: server-everything', () => {
  let everything: UpstreamConnection;
  const logged: string[] = [];
  const notifications: ServerNotification[] = [];

  beforeAll(async () => {
    everything = createUpstreamConnection(config(stdioConfigs.everything()));
    everything.on('log', (line) => logged.push(line));
    everything.on('notification', (notification) => notifications.push(notification));
    await everything.start();
  });
  afterAll(() => everything.stop());

  it('initializes, fetches the catalog and reports its pid', () => {
    expect(everything.state.status).toBe('running');
    expect(everything.state.pid).toBeGreaterThan(0);
    const catalog = everything.catalog!;
    expect(catalog.serverInfo.name).toMatch(/everything/i);
    expect(catalog.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'get-env', 'trigger-sampling-request']));
    expect(catalog.prompts.length).toBeGreaterThan(0);
    expect(catalog.resources.length).toBeGreaterThan(0);
    expect(catalog.resourceTemplates.length).toBeGreaterThan(0);
    expect(catalog.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('calls a tool', async () => {
    const result = await everything.client!.callTool({ name: 'echo', arguments: { message: 'hello canopy' } });
    expect(textOf(result)).toBe('Echo: hello canopy');
  });

  it('keeps stderr in the log and emits it', () => {
    expect(everything.logLines()).toContain('Starting default (STDIO) server...');
    expect(logged).toContain('Starting default (STDIO) server...');
  });

  it('relays logging notifications', async () => {
    await everything.client!.callTool({ name: 'toggle-simulated-logging', arguments: {} });
    await waitFor(() => notifications.some((n) => n.method === 'notifications/message'), 'a notifications/message');
  });

  it('routes sampling requests to the handler, and refuses them clearly without one', async () => {
    const callSampling = () =>
      everything.client!.request({ method: 'tools/call', params: { name: 'trigger-sampling-request', arguments: { prompt: 'say hi', maxTokens: 5 } } });
    const refused = await callSampling();
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain("Canopy cannot answer sampling/createMessage from server 'everything'");

    const seen: ServerRequest[] = [];
    everything.setServerRequestHandler(async (request) => {
      seen.push(request);
      return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'sampled by the test' } };
    });
    const answered = await callSampling();
    expect(answered.isError).toBeFalsy();
    expect(textOf(answered)).toContain('sampled by the test');
    expect(seen.map((request) => request.method)).toEqual(['sampling/createMessage']);
  });
});

describe('stdio upstream: supervision', () => {
  it('connects to server-memory and calls it', async () => {
    const memory = connect(config(stdioConfigs.memory('memory', `/tmp/canopy-memory-${process.pid}.jsonl`)));
    await memory.start();
    expect(memory.catalog!.tools.map((tool) => tool.name)).toContain('create_entities');
    const result = await memory.client!.callTool({ name: 'read_graph', arguments: {} });
    expect(result.isError).toBeFalsy();
  });

  it('gives the child the base environment plus config.env, config.env winning', async () => {
    const everything = connect(config({ ...stdioConfigs.everything(), env: { CANOPY_SHARED: 'from-config', CANOPY_CONFIG_ONLY: 'c' } }), {
      env: { PATH: process.env.PATH, CANOPY_SHARED: 'from-base', CANOPY_BASE_ONLY: 'b' },
    });
    await everything.start();
    const env = JSON.parse(textOf(await everything.client!.callTool({ name: 'get-env', arguments: {} })));
    expect(env).toMatchObject({ CANOPY_SHARED: 'from-config', CANOPY_CONFIG_ONLY: 'c', CANOPY_BASE_ONLY: 'b' });
    expect(env.HOME).toBeUndefined(); // only the base env given, not Canopy's own
  });

  it('restarts a crashed server with backoff, and calls work again', async () => {
    const everything = connect(config(stdioConfigs.everything()));
    const states: UpstreamState[] = [];
    everything.on('state', (state) => states.push(state));
    await everything.start();
    const firstPid = everything.state.pid!;
    process.kill(firstPid, 'SIGKILL');
    await waitFor(() => states.length === 5, 'a restart');
    expect(states.map((state) => state.status)).toEqual(['starting', 'running', 'crashed', 'starting', 'running']);
    expect(states[2]).toMatchObject({ crashes: 1, nextRetryAt: expect.any(String), lastError: expect.stringMatching(/Restarting in \d+ ms/) });
    expect(everything.state).toMatchObject({ status: 'running', crashes: 1 });
    expect(everything.state.pid).not.toBe(firstPid);
    expect(everything.logLines().join('\n')).toContain('process killed by SIGKILL');
    const result = await everything.client!.callTool({ name: 'echo', arguments: { message: 'again' } });
    expect(textOf(result)).toBe('Echo: again');
  });

  it('stop() kills the whole process group', async () => {
    // A shell that leaves a grandchild behind (like npx → node), then becomes the server.
    const script = 'sleep 300 & echo "grandchild $!" >&2; exec "$0" "$@"';
    const server = connect(config({ name: 'grouped', command: 'sh', args: ['-c', script, process.execPath, everythingEntry, 'stdio'] }));
    await server.start();
    const pid = server.state.pid!;
    const grandchild = Number(server.logLines().join('\n').match(/grandchild (\d+)/)![1]);
    expect(processAlive(pid) && processAlive(grandchild)).toBe(true);
    await server.stop();
    expect(server.state.status).toBe('stopped');
    await waitFor(() => !processAlive(pid) && !processAlive(grandchild) && !processAlive(-pid), 'the server and its grandchild to be gone', 5_000);
  });

  it('says clearly when the command is not on PATH', async () => {
    const missing = connect(config({ name: 'missing', command: 'canopy-no-such-command' }), { env: { PATH: '/usr/bin:/bin' } });
    await expect(missing.start()).rejects.toThrow(/command 'canopy-no-such-command' not found on PATH \(\/usr\/bin:\/bin\)/);
    expect(missing.state.status).toBe('error');
    expect(missing.state.lastError).toMatch(/install it, or set the full path/);
  });

  it('gives up after repeated crashes before initialize, showing the last stderr lines', async () => {
    const failing = connect(config({ name: 'failing', command: process.execPath, args: ['-e', "console.error('bad API key'); process.exit(3)"] }));
    await expect(failing.start()).rejects.toThrow(/process exited with code 3/);
    const state = await waitForStatus(failing, 'error');
    expect(state.crashes).toBe(3);
    expect(state.lastError).toContain('Gave up after 3 failed starts in a row');
    expect(state.lastError).toContain('"bad API key"');
    expect(state.lastError).toContain('Check its command, args and env');
  });

  it('counts a server that never answers initialize as a failed start', async () => {
    const silent = connect(config({ name: 'silent', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] }), {
      initializeTimeoutMs: 300,
      backoff: { ...fastBackoff, maxFailuresBeforeReady: 1 },
    });
    await expect(silent.start()).rejects.toThrow(/did not finish initializing within 0.3 s/);
    expect(silent.state.status).toBe('error');
  });

  it('ready() starts a stopped server and waits for it', async () => {
    const everything = connect(config(stdioConfigs.everything('lazy')));
    const client = await everything.ready(20_000);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'lazy' } }))).toBe('Echo: lazy');
  });
});
