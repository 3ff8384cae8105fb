// A masked secret (`********`, as the API shows it) sent back on an edit or a --force
// re-registration keeps the stored secret only while it goes where it went before: the same URL
// origin for bearer_token, headers and oauth_client_secret, the same command and args for env.
// Otherwise the stored secret would reach a new host (or program) nobody typed it for.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startRecordingServer, type RecordingServer } from '../support/recording-server.ts';
import { everythingEntry, stdioConfigs } from '../support/upstreams.ts';
import { REDACTED } from '../../main/core/api/contract.ts';
import { keepRedactedSecrets } from '../../main/core/secrets/secret-fields.ts';
import type { ServerConfig } from '../../main/core/config/server-config.ts';

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

describe('keepRedactedSecrets', () => {
  const stored: ServerConfig = {
    name: 'api',
    transport: 'streamable_http',
    url: 'https://api.example/mcp',
    bearer_token: 'tok-stored',
    headers: { 'X-Api-Key': 'key-stored' },
    oauth_client_secret: 'client-secret-stored',
  };
  const masked = { ...stored, bearer_token: REDACTED, headers: { 'X-Api-Key': REDACTED }, oauth_client_secret: REDACTED };

  it('keeps the stored secrets for the same origin, a new path included', async () => {
    const kept = await keepRedactedSecrets({ ...masked, url: 'https://api.example/v2/mcp' }, async () => stored);
    expect(kept).toMatchObject({ bearer_token: 'tok-stored', headers: { 'X-Api-Key': 'key-stored' }, oauth_client_secret: 'client-secret-stored' });
  });

  it('refuses each masked field when the origin changes, asking for the value', async () => {
    for (const url of ['https://evil.example/mcp', 'http://api.example/mcp', 'https://api.example:8443/mcp']) {
      for (const field of [{ bearer_token: REDACTED }, { headers: { 'X-Api-Key': REDACTED } }, { oauth_client_secret: REDACTED }]) {
        const incoming = { name: 'api', transport: 'streamable_http' as const, url, ...field };
        await expect(keepRedactedSecrets(incoming, async () => stored), `${url} ${JSON.stringify(field)}`).rejects.toThrow(
          /was for https:\/\/api\.example, not .*: type the value again/,
        );
      }
    }
    // A value typed anew goes anywhere.
    expect((await keepRedactedSecrets({ ...stored, url: 'https://elsewhere.example/mcp' }, async () => stored)).bearer_token).toBe('tok-stored');
  });

  it('keeps stdio env only for the same command and args', async () => {
    const stdio: ServerConfig = { name: 'tool', transport: 'stdio', command: 'node', args: ['server.js'], env: { API_KEY: 'env-stored' } };
    const maskedEnv = { ...stdio, env: { API_KEY: REDACTED } };
    expect((await keepRedactedSecrets(maskedEnv, async () => stdio)).env).toEqual({ API_KEY: 'env-stored' });
    for (const change of [{ command: 'sh' }, { args: ['server.js', '--leak'] }, { args: [] }]) {
      await expect(keepRedactedSecrets({ ...maskedEnv, ...change }, async () => stdio), JSON.stringify(change)).rejects.toThrow(
        /'env.API_KEY' is \*+, but the stored secret was for command `node server.js`/,
      );
    }
  });
});

describe('a masked secret through the gateway', () => {
  let t: TestGateway;
  let home: RecordingServer;
  let elsewhere: RecordingServer;

  beforeAll(async () => {
    t = await startTestGateway();
    home = await startRecordingServer();
    elsewhere = await startRecordingServer();
  }, 60_000);
  afterEach(() => {
    home.requests.length = 0;
    elsewhere.requests.length = 0;
  });
  afterAll(async () => {
    await t?.close();
    await home?.close();
    await elsewhere?.close();
  });

  it('is not sent to a new host by --force with the masked values and a new url', async () => {
    await t.api.registerServer({ config: { name: 'remote', url: home.url('streamable_http'), bearer_token: 'tok-home', headers: { 'X-Api-Key': 'key-home' } } });
    const shown = (await t.api.getServer('remote')).config;
    expect(shown.bearer_token).toBe(REDACTED);
    await expect(t.api.registerServer({ config: { ...shown, url: elsewhere.url('streamable_http') }, force: true })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/type the value again/),
    });
    await expect(
      t.api.registerServer({ config: { ...shown, bearer_token: 'tok-typed', url: elsewhere.url('streamable_http') }, force: true }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/headers.X-Api-Key/) });
    expect(elsewhere.requests).toEqual([]);
    // Typed anew, both go there; the same host keeps what is stored.
    await t.api.registerServer({ config: { ...shown, description: 'same host', url: home.url('sse'), transport: 'sse' }, force: true });
    expect(home.requests.find((r) => r.method === 'GET')?.headers.authorization).toBe('Bearer tok-home');
    await t.api.registerServer({
      config: { ...shown, url: elsewhere.url('streamable_http'), bearer_token: 'tok-new', headers: { 'X-Api-Key': 'key-new' } },
      force: true,
    });
    expect(elsewhere.requests.find((r) => r.method === 'POST')?.headers.authorization).toBe('Bearer tok-new');
  });

  it('is not handed to another program by an edit of a stdio server', async () => {
    await t.api.registerServer({ config: { ...stdioConfigs.everything('envheld'), env: { HELD_SECRET: 'env-secret-held' } } });
    const shown = (await t.api.getServer('envheld')).config;
    await expect(
      t.api.registerServer({ config: { ...shown, command: process.execPath, args: ['-e', 'console.log(process.env.HELD_SECRET)'] }, force: true }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/env.HELD_SECRET/) });
    await t.api.registerServer({ config: { ...shown, description: 'kept', args: [everythingEntry, 'stdio'] }, force: true });
    expect(text(await t.api.invokeTool('envheld__get-env', {}))).toContain('env-secret-held');
  });
});
