import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REDACTED } from '../../main/core/api/contract.ts';
import { expandPlaceholders } from '../../main/core/config/placeholders.ts';
import { parseServerConfig } from '../../main/core/config/server-config.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import {
  exportableConfig,
  redactSecrets,
  resolveSecrets,
  secretRefs,
  splitSecrets,
  type StoredServerConfig,
} from '../../main/core/secrets/secret-fields.ts';

const github = parseServerConfig({
  name: 'github',
  url: 'https://api.example.com/mcp',
  bearer_token: 'ghp_bearer',
  headers: { 'X-Api-Key': 'key-123', Authorization: 'token abc' },
  oauth_client_id: 'client',
  oauth_client_secret: 'client-secret',
});

const stdio = parseServerConfig({
  name: 'my-tool',
  command: 'node',
  args: ['server.js', '--template', '${literal}'],
  env: { API_KEY: 'sk-123', LOG_LEVEL: 'debug' },
  public_env: ['LOG_LEVEL'],
});

describe('secret fields', () => {
  let dataDir: string;
  let store: FileSecretStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'canopy-fields-'));
    store = new FileSecretStore(dataDir);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const save = async (config: typeof github) => {
    const { stored, secrets } = splitSecrets(config);
    for (const { ref, value } of secrets) await store.set(ref, value);
    // The servers table holds JSON: the stored form must survive it.
    return JSON.parse(JSON.stringify(stored)) as StoredServerConfig;
  };

  it('takes every secret value out of the stored config', () => {
    const { stored, secrets } = splitSecrets(github);
    const json = JSON.stringify(stored);
    for (const value of ['ghp_bearer', 'key-123', 'token abc', 'client-secret']) expect(json).not.toContain(value);
    expect(stored).not.toHaveProperty('bearer_token');
    expect(stored).not.toHaveProperty('headers');
    expect(stored.oauth_client_id).toBe('client');
    expect(secrets.map((s) => s.value).sort()).toEqual(['client-secret', 'ghp_bearer', 'key-123', 'token abc']);
    expect(Object.keys(stored.secret_refs!.headers!)).toEqual(['X-Api-Key', 'Authorization']);
    expect(stored.secret_refs!.bearer_token).toMatch(/^server\/github\/[0-9a-f]{16}\/bearer_token$/);
  });

  it('keeps public env in the clear and everything else secret', () => {
    const { stored, secrets } = splitSecrets(stdio);
    expect(stored.env).toEqual({ LOG_LEVEL: 'debug' });
    expect(Object.keys(stored.secret_refs!.env!)).toEqual(['API_KEY']);
    expect(secrets).toEqual([{ ref: expect.stringMatching(/^server\/my-tool\/[0-9a-f]+\/env\/API_KEY$/), value: 'sk-123' }]);
  });

  it('leaves a config without secrets as it is', () => {
    const plain = parseServerConfig({ name: 'memory', command: 'node', args: ['memory.js'] });
    expect(splitSecrets(plain)).toEqual({ stored: plain, secrets: [] });
    expect(secretRefs(plain)).toEqual([]);
  });

  it('gives every write fresh refs', () => {
    const first = secretRefs(splitSecrets(github).stored);
    const second = secretRefs(splitSecrets(github).stored);
    expect(first).toHaveLength(4);
    expect(first.filter((ref) => second.includes(ref))).toEqual([]);
  });

  it('round-trips through the SecretStore', async () => {
    expect(await resolveSecrets(await save(github), store)).toEqual(github);
    expect(await resolveSecrets(await save(stdio), store)).toEqual(stdio);
  });

  it('names the server and field of a missing secret', async () => {
    const stored = await save(github);
    await store.delete(stored.secret_refs!.bearer_token!);
    await expect(resolveSecrets(stored, store)).rejects.toThrow(
      `secret for server 'github' field 'bearer_token' is missing from an encrypted file at ${store.path} (key in ${store.keyPath}): register the server again`,
    );
    await store.delete(stored.secret_refs!.headers!['X-Api-Key']);
    await expect(resolveSecrets({ ...stored, secret_refs: { headers: stored.secret_refs!.headers } } as StoredServerConfig, store)).rejects.toThrow(
      "field 'headers.X-Api-Key' is missing",
    );
  });

  it('redacts every secret for API responses', () => {
    const { stored } = splitSecrets(github);
    expect(redactSecrets(stored)).toEqual({
      ...github,
      bearer_token: REDACTED,
      oauth_client_secret: REDACTED,
      headers: { 'X-Api-Key': REDACTED, Authorization: REDACTED },
    });
    expect(redactSecrets(splitSecrets(stdio).stored).env).toEqual({ LOG_LEVEL: 'debug', API_KEY: REDACTED });
  });

  it('lists the refs to delete with the server', () => {
    const { stored, secrets } = splitSecrets(github);
    expect(secretRefs(stored).sort()).toEqual(secrets.map((s) => s.ref).sort());
  });

  it('exports placeholders that re-import with the variables set', () => {
    const exported = exportableConfig(splitSecrets(github).stored);
    expect(exported).toMatchObject({
      bearer_token: '${GITHUB_BEARER_TOKEN}',
      oauth_client_secret: '${GITHUB_OAUTH_CLIENT_SECRET}',
      headers: { 'X-Api-Key': '${GITHUB_HEADER_X_API_KEY}', Authorization: '${GITHUB_HEADER_AUTHORIZATION}' },
    });
    expect(JSON.stringify(exported)).not.toContain('secret_refs');
    const env = {
      GITHUB_BEARER_TOKEN: 'ghp_bearer',
      GITHUB_OAUTH_CLIENT_SECRET: 'client-secret',
      GITHUB_HEADER_X_API_KEY: 'key-123',
      GITHUB_HEADER_AUTHORIZATION: 'token abc',
    };
    expect(parseServerConfig(expandPlaceholders(JSON.parse(JSON.stringify(exported)), env))).toEqual(github);
  });

  it('exports env placeholders and keeps literal ${ literal', () => {
    const exported = exportableConfig(splitSecrets(stdio).stored);
    expect(exported.env).toEqual({ LOG_LEVEL: 'debug', API_KEY: '${MY_TOOL_ENV_API_KEY}' });
    expect(exported.args).toEqual(['server.js', '--template', '$${literal}']);
    expect(parseServerConfig(expandPlaceholders(exported, { MY_TOOL_ENV_API_KEY: 'sk-123' }))).toEqual(stdio);
  });

  it('gives fields that spell the same variable distinct names', () => {
    const clash = parseServerConfig({ name: '1password', url: 'https://x.example/mcp', headers: { 'X-Key': 'a', X_KEY: 'b' } });
    expect(exportableConfig(splitSecrets(clash).stored).headers).toEqual({ 'X-Key': '${_1PASSWORD_HEADER_X_KEY}', X_KEY: '${_1PASSWORD_HEADER_X_KEY_2}' });
  });

  it('user input can never carry references', () => {
    const { stored } = splitSecrets(github);
    expect(() => parseServerConfig(stored)).toThrow("unknown field 'secret_refs'");
    expect(() => splitSecrets(stored)).toThrow('already split');
  });
});
