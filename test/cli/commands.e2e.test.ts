// End to end: the real `canopy` command (a child process) against a real gateway with real
// upstreams (server-everything over stdio and streamable HTTP, server-memory, server-filesystem).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { everythingEntry, freePort, memoryEntry, startEverythingHttp, type RunningHttpUpstream } from '../support/upstreams.ts';
import { errorOf, isolatedCliEnv, runCli } from './run-cli.ts';

let gateway: TestGateway;
let http: RunningHttpUpstream;
let dir: string;
let env: NodeJS.ProcessEnv;

const cli = (...args: string[]) => runCli(args, env);

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-cli-e2e-'));
  [gateway, http] = await Promise.all([startTestGateway(), startEverythingHttp()]);
  env = isolatedCliEnv(dir, gateway.url, {
    EVERYTHING_ENTRY: everythingEntry,
    MEMORY_ENTRY: memoryEntry,
    NODE_BIN: process.execPath,
  });
});

afterAll(async () => {
  await Promise.allSettled([gateway?.close(), http?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('canopy CLI against a running gateway', () => {
  it('says how to start Canopy when nothing listens', async () => {
    const port = await freePort();
    const result = await cli('--registry', `http://127.0.0.1:${port}`, 'list', 'servers');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: cannot reach Canopy at .*canopy serve/);
  });

  it('registers a stdio server from a config file, placeholders expanded', async () => {
    const conf = writeJson('everything.json', {
      name: 'everything',
      transport: 'stdio',
      description: 'the MCP test server',
      command: '${NODE_BIN}',
      args: ['${EVERYTHING_ENTRY}', 'stdio'],
    });
    const result = await cli('register', '-c', conf);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✓ registered everything \(stdio\): running, \d+ tools/);
  });

  it('refuses bad register arguments with one line naming the problem', async () => {
    const noUrl = await cli('register', '--name', 'fs');
    expect(noUrl.code).toBe(1);
    expect(errorOf(noUrl)).toMatch(/^error: --name needs --url URL \(a remote server\) or -- COMMAND ARGS \(a stdio server\)/);

    const unset = writeJson('unset.json', { name: 'x', url: 'https://${CANOPY_TEST_UNSET_HOST}/mcp' });
    const placeholder = await cli('register', '-c', unset);
    expect(placeholder.code).toBe(1);
    expect(placeholder.stderr.trim()).toBe(`error: ${unset}: field 'url': environment variable CANOPY_TEST_UNSET_HOST is not set`);

    const badName = await cli('register', '--name', 'bad__name', '--url', http.url);
    expect(badName.stderr.trim()).toBe(`error: invalid server config: field 'name' must not contain "__"`);

    const again = await cli('register', '-c', join(dir, 'everything.json'));
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("= 'everything' is already registered with this config: nothing changed\n");

    const different = writeJson('everything-2.json', { name: 'everything', command: '${NODE_BIN}', args: ['${EVERYTHING_ENTRY}'] });
    const duplicate = await cli('register', '-c', different);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr.trim()).toBe(
      "error: a server named 'everything' is already registered with a different config: change it with `canopy update server everything`, or replace it with --force",
    );
  });

  it('registers a remote server by flags and warns once when a header overrides the bearer token', async () => {
    const byFlags = await cli('register', '--name', 'remote', '--url', http.url, '--description', 'over HTTP');
    expect(byFlags.code).toBe(0);
    expect(byFlags.stdout).toMatch(/^✓ registered remote \(streamable_http\): running, \d+ tools/);

    const conf = writeJson('remote.json', {
      name: 'remote',
      url: http.url,
      bearer_token: 'token-a',
      headers: { authorization: 'Bearer token-b' },
    });
    const replaced = await cli('register', '-c', conf, '--force');
    expect(replaced.code).toBe(0);
    const warnings = replaced.stderr.split('\n').filter((line) => line.startsWith('warning: '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].toLowerCase()).toContain('authorization');
  });

  it('lists servers, tools, prompts and resources, as tables and as JSON', async () => {
    const servers = await cli('list', 'servers');
    expect(servers.code).toBe(0);
    expect(servers.stdout).toMatch(/^NAME\s+TRANSPORT\s+STATE\s+ERA\s+TOOLS\s+DESCRIPTION/);
    // ERA: server-everything speaks MCP 2025 (initialize and sessions).
    expect(servers.stdout).toMatch(/everything\s+stdio\s+running\s+2025\s+\d+\s+the MCP test server/);

    const json = JSON.parse((await cli('list', 'servers', '--json')).stdout) as { name: string; protocolEra: string | null }[];
    expect(json.map((s) => s.name).sort()).toEqual(['everything', 'remote']);
    expect(json.find((s) => s.name === 'everything')?.protocolEra).toBe('legacy');

    const tools = await cli('list', 'tools', '--server', 'everything');
    expect(tools.stdout).toMatch(/everything__echo\s+enabled/);
    expect(tools.stdout).not.toContain('remote__');
    expect(tools.stderr).toContain('canopy usage TOOL');

    const prompts = await cli('list', 'prompts', '--server', 'everything', '--json');
    expect((JSON.parse(prompts.stdout) as unknown[]).length).toBeGreaterThan(0);
    const resources = await cli('list', 'resources', '--server', 'everything');
    expect(resources.stdout).toMatch(/^URI\s+NAME\s+TYPE/);
  });

  it('shows usage and invokes a tool', async () => {
    const usage = await cli('usage', 'everything__echo');
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(/^everything__echo/);
    expect(usage.stdout).toContain('message (string, required)');

    const invoked = await cli('invoke', 'everything__echo', '--input', '{"message": "hello from the CLI"}');
    expect(invoked.code).toBe(0);
    expect(invoked.stdout).toContain('hello from the CLI');

    const badInput = await cli('invoke', 'everything__echo', '--input', '{message}');
    expect(badInput.code).toBe(1);
    expect(errorOf(badInput)).toMatch(/^error: --input is not valid JSON/);

    const toolError = await cli('invoke', 'everything__echo', '--input', '{}');
    expect(toolError.code).toBe(1);
    expect(toolError.stdout.length).toBeGreaterThan(0);
    expect(toolError.stderr).toBe("error: tool 'everything__echo' returned an error\n");

    const unknown = await cli('invoke', 'everything__nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('disables and enables a tool (bare name = tool when it has "__")', async () => {
    expect((await cli('disable', 'everything__echo')).stdout).toBe("✓ disabled tool 'everything__echo'\n");
    expect((await cli('list', 'tools', '--server', 'everything')).stdout).toMatch(/everything__echo\s+disabled/);
    expect((await cli('enable', 'tool', 'everything__echo')).code).toBe(0);
  });

  it('overrides a tool: renamed on /mcp, listed with the upstream name, reported, cleared', async () => {
    const renamed = await cli('tool', 'override', 'everything__echo', '--name', 'say', '--description', 'Says it back');
    expect(renamed.stderr).toBe('');
    expect(renamed.stdout).toBe("✓ tool 'echo' of server 'everything': listed as 'everything__say', own description\n");
    const tools = (await cli('list', 'tools', '--server', 'everything')).stdout;
    expect(tools).toMatch(/UPSTREAM NAME/);
    expect(tools).toMatch(/everything__say\s+everything: echo\s+enabled\s+Says it back/);
    expect((await cli('list', 'overrides')).stdout).toMatch(/everything\s+echo\s+everything__say\s+no\s+Says it back/);
    expect(errorOf(await cli('tool', 'override', 'everything__say', '--name', 'get-sum'))).toMatch(/^error: the name 'get-sum' is already listed for tool 'get-sum' of server 'everything'/);
    expect(errorOf(await cli('tool', 'override', 'everything__say'))).toMatch(/^error: nothing to change/);
    expect((await cli('tool', 'override', 'everything__say', '--clear')).stdout).toBe("✓ tool 'echo' of server 'everything': as the server lists it\n");
    expect((await cli('list', 'overrides')).stderr).toMatch(/No tool overrides/);
  });

  it('disables and enables a server (bare name = server)', async () => {
    expect((await cli('disable', 'remote')).stdout).toBe("✓ disabled server 'remote'\n");
    expect((await cli('list', 'servers')).stdout).toMatch(/remote\s+streamable_http\s+disabled/);
    const enabled = await cli('enable', 'server', 'remote');
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toMatch(/^✓ enabled server 'remote'/);

    const badKind = await cli('enable', 'servers', 'remote');
    expect(errorOf(badKind)).toMatch(/^error: unknown kind 'servers'/);
  });

  it('restarts a server and shows its log', async () => {
    const restarted = await cli('restart', 'everything');
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toMatch(/^✓ restarted everything \(stdio\)/);
    const logs = await cli('logs', 'everything', '--json');
    expect(logs.code).toBe(0);
    expect(Array.isArray(JSON.parse(logs.stdout))).toBe(true);
  });

  it('imports an mcpServers file, reporting each entry, non-zero when one failed', async () => {
    const file = writeJson('claude_desktop_config.json', {
      mcpServers: {
        memory: { command: '${NODE_BIN}', args: ['${MEMORY_ENTRY}'], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } },
        nourl: { description: 'neither command nor url' },
        missing: { command: '${CANOPY_TEST_UNSET_COMMAND}' },
        parked: { command: '${NODE_BIN}', args: ['${MEMORY_ENTRY}'], disabled: true },
        nobin: { command: join(dir, 'no-such-binary') },
      },
    });
    const result = await cli('import', file);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^✓ memory \(stdio\): \d+ tools$/);
    expect(lines[1]).toBe('✗ nourl: entry has neither "command" nor "url"');
    expect(lines[2]).toBe("✗ missing: field 'command': environment variable CANOPY_TEST_UNSET_COMMAND is not set");
    expect(lines[3]).toBe('✓ parked (stdio): registered disabled');
    expect(lines[4]).toMatch(/^✗ nobin: cannot register 'nobin': .*no-such-binary/);
    expect(errorOf(result)).toBe('error: 3 of 5 servers could not be imported');
  });

  it('exports config files without secrets, refusing to overwrite unless --force', async () => {
    const stdout = await cli('export');
    const view = JSON.parse(stdout.stdout) as { servers: { name: string }[] };
    expect(view.servers.map((s) => s.name).sort()).toEqual(['everything', 'memory', 'parked', 'remote']);
    expect(stdout.stdout).not.toContain('token-a');

    const out = join(dir, 'export');
    const written = await cli('export', '--dir', out);
    expect(written.code).toBe(0);
    const remote = JSON.parse(readFileSync(join(out, 'remote.json'), 'utf8')) as Record<string, unknown>;
    expect(remote.name).toBe('remote');
    expect(remote).not.toHaveProperty('enabled');
    expect(JSON.stringify(remote)).not.toContain('token-a');
    expect(written.stdout).toContain(`${join(out, 'parked.json')} (disabled)`);

    const again = await cli('export', '--dir', out);
    expect(again.code).toBe(1);
    expect(errorOf(again)).toMatch(/already exists \(and 3 more\): use --force to overwrite$/);
    expect((await cli('export', '--dir', out, '--force')).code).toBe(0);
  });

  it('deregisters a server', async () => {
    expect((await cli('deregister', 'parked')).stdout).toBe("✓ deregistered 'parked'\n");
    const gone = await cli('deregister', 'parked');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: .*parked/);
  });

  it('status and doctor', async () => {
    const status = await cli('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`MCP endpoint:  ${gateway.url}/mcp`);
    const doctor = await cli('doctor');
    expect(doctor.stdout).toMatch(/✓ everything \(stdio\): running, \d+ tools/);
    expect(doctor.stdout).toContain('No problems found.');
    expect(doctor.code).toBe(0);
  });

  it('login saves the token 0600 in the config dir', async () => {
    const result = await cli('login', 'cnp_test_token');
    expect(result.code).toBe(0);
    const path = join(dir, 'config', 'canopy', 'cli.json');
    expect(existsSync(path)).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ tokens: { [new URL(gateway.url).origin]: 'cnp_test_token' } });
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    // Development mode ignores the token; requests still work with it attached.
    expect((await cli('list', 'servers')).code).toBe(0);
  });
});
