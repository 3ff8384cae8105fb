// The real `canopy` command against a real gateway and real servers, for what issue 9 found when
// Canopy was used for real: names, groups, doctor, whoami, help examples, tables.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { everythingEntry, filesystemEntry, freePort, startEverythingHttp, stdioConfigs, type RunningHttpUpstream } from '../support/upstreams.ts';
import { errorOf, isolatedCliEnv, repoRoot, runCli, spawnCli, waitForOutput } from './run-cli.ts';

const cliSources = join(repoRoot, 'main', 'cli');

let gateway: TestGateway;
let dir: string;
let env: NodeJS.ProcessEnv;

const cli = (...args: string[]) => runCli(args, env);

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-cli-real-'));
  gateway = await startTestGateway();
  env = isolatedCliEnv(dir, gateway.url);
  await gateway.api.registerServer({ config: stdioConfigs.everything() });
});

afterAll(async () => {
  await gateway?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('smaller things (issue 9 item 13)', { timeout: 120_000 }, () => {
  it('refuses a name that differs from a registered one only in case, naming it', async () => {
    const result = await cli('register', '-c', writeJson('Everything.json', stdioConfigs.everything('Everything')));
    expect(result.code).toBe(1);
    expect(errorOf(result)).toBe(
      "error: a server named 'everything' is already registered (names may not differ only in case): use 'everything' or another name",
    );
    expect((await gateway.api.listServers()).map((s) => s.name)).toEqual(['everything']);
  });

  it('deregistering takes the server out of its groups and says so', async () => {
    await gateway.api.registerServer({ config: stdioConfigs.memory('scratch') });
    expect((await cli('create', 'group', 'work', '--servers', 'scratch,everything', '--tools', 'scratch__read_graph')).code).toBe(0);
    expect((await cli('create', 'group', 'other', '--servers', 'everything')).code).toBe(0);
    const result = await cli('deregister', 'scratch');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("✓ deregistered 'scratch'; removed from group 'work'\n");
    const work = await gateway.api.getGroup('work');
    expect(work.includedServers).toEqual(['everything']);
    expect(work.includedTools).toEqual([]);
    expect((await gateway.api.getGroup('other')).includedServers).toEqual(['everything']);
    expect((await cli('deregister', 'nothing-here')).code).toBe(1);
  });

  it('whoami in development mode says no identity is needed', async () => {
    const result = await cli('whoami');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('nobody: this gateway runs in development mode, where no identity is needed (requests need no token)\n');
  });

  it('every table ends in a newline', async () => {
    for (const args of [['list', 'servers'], ['list', 'tools'], ['list', 'groups']]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toMatch(/\S\n$/);
    }
  });

  it('every everything__… example in the CLI (its --help texts) names a tool or prompt server-everything really has', async () => {
    const names = new Set([...(await gateway.api.listTools('everything')), ...(await gateway.api.listPrompts('everything'))].map((item) => item.name));
    const examples = new Set<string>();
    for (const file of readdirSync(cliSources, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const match of readFileSync(join(cliSources, file), 'utf8').matchAll(/everything__[A-Za-z0-9_-]+/g)) examples.add(match[0]);
    }
    expect(examples.size).toBeGreaterThan(0);
    expect([...examples].filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('export and import round-trip (issue 9 item 11)', { timeout: 120_000 }, () => {
  let other: TestGateway;
  let http: RunningHttpUpstream;

  beforeAll(async () => {
    [other, http] = await Promise.all([startTestGateway(), startEverythingHttp()]);
    await gateway.api.registerServer({ config: { ...stdioConfigs.memory('notes'), env: { MEMORY_FILE_PATH: join(dir, 'notes.jsonl') } } });
    await gateway.api.registerServer({ config: { name: 'remote', url: http.url, bearer_token: 'secret-token-1', description: 'over HTTP' } });
    await gateway.api.registerServer({ config: stdioConfigs.memory('parked'), enabled: false });
  });
  afterAll(async () => {
    await Promise.allSettled([other?.close(), http?.stop()]);
  });

  it('what `canopy export` prints, `canopy import` registers as it was; a second import changes nothing', async () => {
    const exported = await cli('export');
    expect(exported.code).toBe(0);
    expect(exported.stdout).not.toContain('secret-token-1');
    expect(exported.stdout).toContain('${REMOTE_BEARER_TOKEN}');
    const file = join(dir, 'servers.json');
    writeFileSync(file, exported.stdout);

    const into = { ...env, CANOPY_REGISTRY: other.url, REMOTE_BEARER_TOKEN: 'secret-token-1', NOTES_ENV_MEMORY_FILE_PATH: join(dir, 'notes.jsonl') };
    const first = await runCli(['import', file], into, 60_000);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^✓ parked \(stdio\): registered disabled$/m);
    expect(first.stdout.trim().split('\n').at(-1)).toBe('imported 4 servers');
    expect(await other.api.exportServers()).toEqual(await gateway.api.exportServers());

    const second = await runCli(['import', file], into, 60_000);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('= remote (streamable_http): already registered with this config, unchanged');
    expect(second.stdout.trim().split('\n').at(-1)).toBe('4 unchanged');

    const changed = await runCli(['import', file], { ...into, REMOTE_BEARER_TOKEN: 'another-token' }, 60_000);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain(
      "✗ remote: a server named 'remote' is already registered with a different config: change it with `canopy update server remote`, or replace it with --force",
    );
    expect(errorOf(changed)).toBe('error: 1 of 4 servers could not be imported');
  });
});

describe('stdio servers by flags, PATH and working directory (issue 9 item 12)', { timeout: 120_000 }, () => {
  let serve: ReturnType<typeof spawnCli>;
  let serveEnv: NodeJS.ProcessEnv;
  let home: string;
  let project: string;
  const as = (...args: string[]) => runCli(args, serveEnv, 60_000);

  beforeAll(async () => {
    const root = join(dir, 'item12');
    home = join(root, 'home');
    project = join(root, 'project');
    const venvBin = join(root, 'venv', 'bin');
    for (const d of [home, project, venvBin]) mkdirSync(d, { recursive: true });
    // A command only the PATH `canopy serve` was started with has (an activated virtualenv's).
    const tool = join(venvBin, 'everything-server');
    writeFileSync(tool, `#!/bin/sh\nexec "${process.execPath}" "${everythingEntry}" "$@"\n`);
    chmodSync(tool, 0o755);
    // A login shell whose rc sets PATH outright, without the virtualenv.
    const shell = join(root, 'login-shell');
    writeFileSync(shell, '#!/bin/sh\nexport PATH="/usr/local/bin:/usr/bin:/bin"\nexec /bin/sh -c "$2"\n');
    chmodSync(shell, 0o755);
    serveEnv = {
      ...env,
      SHELL: shell,
      HOME: home,
      PATH: `${venvBin}:${process.env.PATH}`,
      XDG_DATA_HOME: join(root, 'data'),
      CANOPY_SECRETS_BACKEND: 'file',
    };
    delete serveEnv.CANOPY_REGISTRY;
    // Started from the repository: a server without cwd must not run there.
    serve = spawnCli(['serve', '--port', '0'], serveEnv);
    const [, url] = await waitForOutput(serve, /MCP endpoint:\s+(http:\/\/127\.0\.0\.1:\d+)\/mcp/, 60_000);
    serveEnv.CANOPY_REGISTRY = url;
  }, 90_000);

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve.once('exit', resolve));
      serve.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (serve.exitCode === null) serve.kill('SIGKILL');
    }
  });

  it('registers a stdio server from flags, finding a command on the PATH canopy serve was started with', async () => {
    const result = await as('register', '--name', 'venv', '--env', 'GREETING=hello there', '--description', 'from a virtualenv', '--', 'everything-server', 'stdio');
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✓ registered venv \(stdio\): running, \d+ tools/);
    const env = await as('invoke', 'venv__get-env');
    expect(env.code).toBe(0);
    expect(env.stdout).toContain('"GREETING": "hello there"');
    // Directories only serve's own PATH had come first, then the login shell's PATH in its order.
    const path = (JSON.parse(env.stdout) as { PATH: string }).PATH;
    expect(path.startsWith(`${join(dir, 'item12', 'venv', 'bin')}:`)).toBe(true);
    expect(path.endsWith(':/usr/local/bin:/usr/bin:/bin')).toBe(true);
  });

  it("runs a server in its cwd, by default the user's home directory, never where serve was started", async () => {
    const allowed = async (name: string) => (await as('invoke', `${name}__list_allowed_directories`)).stdout;
    expect((await as('register', '--name', 'homefiles', '--', process.execPath, filesystemEntry, '.')).code).toBe(0);
    expect(await allowed('homefiles')).toContain(realpathSync(home));
    const inProject = await as('register', '--name', 'files', '--cwd', project, '--', process.execPath, filesystemEntry, '.');
    expect(inProject.code).toBe(0);
    expect(await allowed('files')).toContain(realpathSync(project));
    const missing = await as('register', '--name', 'nowhere', '--cwd', join(project, 'missing'), '--', process.execPath, filesystemEntry, '.');
    expect(missing.code).toBe(1);
    expect(errorOf(missing)).toContain(`working directory '${join(project, 'missing')}' does not exist or is not a directory`);
  });

  it('update server changes only what its flags name, keeping secrets it does not mention', async () => {
    const updated = await as('update', 'server', 'venv', '--env', 'SECOND=2');
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/^✓ updated venv \(stdio\): running/);
    const env = (await as('invoke', 'venv__get-env')).stdout;
    expect(env).toContain('"GREETING": "hello there"');
    expect(env).toContain('"SECOND": "2"');
    expect((await as('update', 'server', 'files', '--cwd', home)).code).toBe(0);
    expect((await as('invoke', 'files__list_allowed_directories')).stdout).toContain(realpathSync(home));
    const server = JSON.parse((await as('list', 'servers', '--json')).stdout) as { name: string; description: string; config: { cwd?: string } }[];
    expect(server.find((s) => s.name === 'venv')?.description).toBe('from a virtualenv');
    expect(server.find((s) => s.name === 'files')?.config.cwd).toBe(home);
    const unknown = await as('update', 'server', 'nope', '--cwd', home);
    expect(unknown.code).toBe(1);
    expect(errorOf(unknown)).toMatch(/no server named 'nope'/);
  });
});

describe('remote servers without a transport, failed registrations (issue 9 item 5)', { timeout: 120_000 }, () => {
  let sse: RunningHttpUpstream;
  let streamable: RunningHttpUpstream;

  beforeAll(async () => {
    [sse, streamable] = await Promise.all([startEverythingHttp('sse'), startEverythingHttp()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([sse?.stop(), streamable?.stop()]);
  });

  it('imports a Cursor entry with only a url: SSE when the server speaks SSE, recorded; streamable HTTP otherwise', async () => {
    const file = writeJson('cursor-mcp.json', { mcpServers: { legacy: { url: sse.url }, modern: { url: streamable.url } } });
    const result = await cli('import', file);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✓ legacy \(sse\): \d+ tools$/m);
    expect(result.stdout).toMatch(/^✓ modern \(streamable_http\): \d+ tools$/m);
    expect((await gateway.api.getServer('legacy')).config.transport).toBe('sse');
    const echoed = await cli('invoke', 'legacy__echo', '--input', '{"message": "over SSE"}');
    expect(echoed.stdout).toContain('over SSE');

    const again = await cli('import', file);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('= legacy (sse): already registered with this config, unchanged');
  });

  it('the admin API detects the transport too', async () => {
    const { server } = await gateway.api.registerServer({ config: { name: 'legacy-api', url: sse.url } });
    expect(server.transport).toBe('sse');
    expect(server.state.status).toBe('running');
  });

  it('a registration that fails says why, registers nothing, and promises no restart', async () => {
    const port = await freePort();
    const down = await cli('register', '--name', 'down', '--url', `http://127.0.0.1:${port}/mcp`);
    expect(down.code).toBe(1);
    expect(errorOf(down)).toMatch(/^error: cannot register 'down': server 'down' failed to start: .*ECONNREFUSED/);
    const crashing = await cli('register', '--name', 'crashing', '--', process.execPath, '-e', 'console.error("bad config"); process.exit(3)');
    expect(crashing.code).toBe(1);
    expect(errorOf(crashing)).toBe(`error: cannot register 'crashing': server 'crashing' failed to start: process exited with code 3. Last output: "bad config"`);
    for (const result of [down, crashing]) expect(result.stderr).not.toMatch(/restarting|reconnecting/i);
    const names = (await gateway.api.listServers()).map((s) => s.name);
    expect(names).not.toContain('down');
    expect(names).not.toContain('crashing');
  });
});
