// The real `canopy` command against a real gateway and real servers, for what issue 9 found when
// Canopy was used for real: names, groups, doctor, whoami, help examples, tables.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startEverythingHttp, stdioConfigs, type RunningHttpUpstream } from '../support/upstreams.ts';
import { errorOf, repoRoot, runCli } from './run-cli.ts';

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
  const { CANOPY_TOKEN: _token, CANOPY_REGISTRY: _registry, ...base } = process.env;
  env = { ...base, CANOPY_REGISTRY: gateway.url, XDG_CONFIG_HOME: join(dir, 'config') };
  await gateway.api.registerServer({ config: stdioConfigs.everything() });
});

afterAll(async () => {
  await gateway?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('smaller things (issue 9 item 13)', () => {
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
    for (const args of [['list', 'servers'], ['list', 'tools'], ['list', 'prompts'], ['list', 'resources'], ['list', 'groups'], ['status'], ['doctor']]) {
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

describe('export and import round-trip (issue 9 item 11)', () => {
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
