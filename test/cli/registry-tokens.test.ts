// The CLI keeps one saved token per gateway and sends it only to that gateway: `--registry` pointed
// at another server never carries it there. CANOPY_TOKEN stays an explicit override. Two small HTTP
// servers stand in for gateways and record the Authorization header the real `canopy` sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedCliEnv, runCli } from './run-cli.ts';
import { gatewayKey, readCliSettings, saveToken, savedToken } from '../../main/cli/cli-settings.ts';

interface Recorder {
  url: string;
  authorizations: (string | undefined)[];
  server: Server;
}

async function startRecorder(): Promise<Recorder> {
  const authorizations: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authorizations, server };
}

describe('CLI tokens per registry', () => {
  let dir: string;
  let settingsPath: string;
  let env: NodeJS.ProcessEnv;
  let home: Recorder;
  let other: Recorder;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'canopy-cli-tokens-'));
    settingsPath = join(dir, 'config', 'canopy', 'cli.json');
    env = isolatedCliEnv(dir);
    [home, other] = await Promise.all([startRecorder(), startRecorder()]);
  });
  afterAll(async () => {
    await Promise.all([home, other].map((r) => r && new Promise((resolve) => r.server.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keys tokens by origin and keeps the other gateways’ tokens', () => {
    expect(gatewayKey('HTTP://LocalHost:80/some/path/')).toBe('http://localhost');
    expect(gatewayKey('https://mcp.example.com:443')).toBe('https://mcp.example.com');
    const path = join(dir, 'unit.json');
    saveToken(path, 'https://a.example/', 'tok-a');
    saveToken(path, 'http://127.0.0.1:7450', 'tok-local');
    expect(savedToken(path, 'https://a.example/api')).toBe('tok-a');
    expect(savedToken(path, 'https://b.example')).toBeUndefined();
    expect(readCliSettings(path).tokens).toEqual({ 'https://a.example': 'tok-a', 'http://127.0.0.1:7450': 'tok-local' });
  });

  it('keeps a token saved before tokens were per gateway for the default local gateway only', () => {
    const path = join(dir, 'legacy.json');
    writeFileSync(path, JSON.stringify({ token: 'tok-legacy' }));
    expect(savedToken(path, 'http://127.0.0.1:7450')).toBe('tok-legacy');
    expect(savedToken(path, 'https://elsewhere.example')).toBeUndefined();
    saveToken(path, 'https://a.example', 'tok-a');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ tokens: { 'http://127.0.0.1:7450': 'tok-legacy', 'https://a.example': 'tok-a' } });
  });

  it('sends the saved token only to the gateway it was saved for', async () => {
    mkdirSync(join(dir, 'config'), { recursive: true });
    const login = await runCli(['--registry', home.url, 'login', 'cnp_home_token'], env);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`token for ${home.url} saved`);

    expect((await runCli(['--registry', `${home.url}/`, 'list', 'servers', '--json'], env)).code).toBe(0);
    expect(home.authorizations.at(-1)).toBe('Bearer cnp_home_token');

    expect((await runCli(['--registry', other.url, 'list', 'servers', '--json'], env)).code).toBe(0);
    expect(other.authorizations).toEqual([undefined]);

    // CANOPY_TOKEN is an explicit choice: it goes wherever --registry says.
    expect((await runCli(['--registry', other.url, 'list', 'servers', '--json'], { ...env, CANOPY_TOKEN: 'cnp_explicit' })).code).toBe(0);
    expect(other.authorizations.at(-1)).toBe('Bearer cnp_explicit');
    expect(JSON.parse(readFileSync(settingsPath, 'utf8'))).toEqual({ tokens: { [home.url]: 'cnp_home_token' } });
  }, 60_000);
});
