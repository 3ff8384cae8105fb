import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFromArguments, updatedConfig } from '../../main/cli/server-config-source.ts';
import { REDACTED } from '../../main/core/api/contract.ts';
import { parseServerConfig } from '../../main/core/config/server-config.ts';
import { resolveToggleTarget } from '../../main/cli/commands/toggle.ts';
import { exportFiles } from '../../main/cli/commands/export.ts';
import { errorLine, exitCodeOf, CliError } from '../../main/cli/errors.ts';
import { readJsonFile } from '../../main/cli/json-file.ts';
import { readCliSettings, writeCliSettings } from '../../main/cli/cli-settings.ts';
import { ApiError } from '../../main/core/api/client.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** What the CLI prints for a failure, without the `error: ` prefix. */
function printed(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return errorLine(error);
  }
  throw new Error('expected a failure');
}

describe('register arguments → config', () => {
  it('flags make a remote config, its transport left for the gateway to find', () => {
    expect(configFromArguments({ name: 'hf', url: 'https://huggingface.co/mcp', bearerToken: 't', description: 'HF' }, [], {})).toEqual({
      name: 'hf',
      url: 'https://huggingface.co/mcp',
      bearer_token: 't',
      description: 'HF',
    });
  });

  it('--name without --url or a command says what it needs', () => {
    expect(printed(() => configFromArguments({ name: 'fs' }, [], {}))).toMatch(/^--name needs --url URL \(a remote server\) or -- COMMAND ARGS \(a stdio server\)/);
    expect(printed(() => configFromArguments({ url: 'http://x/mcp' }, [], {}))).toBe('--name is required with --url');
    expect(printed(() => configFromArguments({}, ['npx', 'x'], {}))).toBe('--name is required with a command');
    expect(printed(() => configFromArguments({}, [], {}))).toMatch(/^nothing to register/);
    expect(printed(() => configFromArguments({ name: 'x', url: 'http://x/mcp' }, ['npx'], {}))).toMatch(/^give either --url .* not both/);
  });

  it('a command after -- makes a stdio config, with --env, --cwd (made absolute) and --description', () => {
    expect(configFromArguments({ name: 'gh', env: ['GITHUB_TOKEN=ghp_1', 'EMPTY=', 'EQ=a=b'], cwd: 'proj', description: 'GitHub' }, ['npx', '-y', 'server-github'], {})).toEqual({
      name: 'gh',
      command: 'npx',
      args: ['-y', 'server-github'],
      env: { GITHUB_TOKEN: 'ghp_1', EMPTY: '', EQ: 'a=b' },
      cwd: join(process.cwd(), 'proj'),
      description: 'GitHub',
    });
    expect(printed(() => configFromArguments({ name: 'gh', env: ['NOEQUALS'] }, ['npx'], {}))).toBe('--env "NOEQUALS": expected KEY=VALUE, e.g. --env API_KEY="$API_KEY"');
    expect(printed(() => configFromArguments({ name: 'gh', url: 'http://x/mcp', env: ['A=1'] }, [], {}))).toBe(
      "invalid server config: field 'env' applies to stdio servers only (transport is streamable_http)",
    );
  });

  it('update server: flags change only what they name; a command or --url switches the kind', () => {
    const current = parseServerConfig({ name: 'gh', command: 'npx', args: ['-y', 'gh'], env: { TOKEN: REDACTED, MODE: 'x' }, public_env: ['MODE'], description: 'GitHub' });
    expect(updatedConfig(current, { env: ['MODE=y', 'NEW=1'] }, [], {})).toEqual({ ...current, env: { TOKEN: REDACTED, MODE: 'y', NEW: '1' } });
    expect(updatedConfig(current, { cwd: '/srv' }, ['node', 'gh.js'], {})).toEqual({ ...current, command: 'node', args: ['gh.js'], cwd: '/srv' });
    expect(updatedConfig(current, { url: 'https://x/mcp' }, [], {})).toEqual({ name: 'gh', description: 'GitHub', url: 'https://x/mcp' });
    const remote = parseServerConfig({ name: 'r', url: 'https://x/sse', transport: 'sse', bearer_token: REDACTED });
    expect(updatedConfig(remote, {}, ['node', 'r.js'], {})).toEqual({ name: 'r', transport: 'stdio', command: 'node', args: ['r.js'] });
    expect(updatedConfig(remote, { url: 'https://y/sse' }, [], {})).toEqual({ ...remote, url: 'https://y/sse' });
    expect(printed(() => updatedConfig(current, {}, [], {}))).toMatch(/^nothing to update: give flags/);
  });

  it('--alias sets the prefix on register and update; --alias "" removes it', () => {
    expect(configFromArguments({ name: 'github-enterprise', alias: 'gh', url: 'https://ghe.test/mcp' }, [], {})).toEqual({ name: 'github-enterprise', alias: 'gh', url: 'https://ghe.test/mcp' });
    const current = parseServerConfig({ name: 'github-enterprise', alias: 'gh', url: 'https://ghe.test/mcp' });
    expect(updatedConfig(current, { alias: 'ghe' }, [], {})).toEqual({ ...current, alias: 'ghe' });
    expect(updatedConfig(current, { alias: '' }, [], {}).alias).toBeUndefined();
    expect(updatedConfig(current, {}, ['node', 'gh.js'], {})).toMatchObject({ alias: 'gh', transport: 'stdio' });
    expect(printed(() => configFromArguments({ name: 'x', alias: 'a.b', url: 'https://x.test/mcp' }, [], {}))).toMatch(/field 'alias'/);
  });

  it('update server -c FILE replaces the whole config of that server only', () => {
    const current = parseServerConfig({ name: 'gh', command: 'npx', env: { TOKEN: REDACTED } });
    expect(updatedConfig(current, { conf: file('gh.json', { command: 'node', args: ['${ENTRY}'] }) }, [], { ENTRY: 'gh.js' })).toEqual({
      name: 'gh',
      command: 'node',
      args: ['gh.js'],
    });
    const other = file('other.json', { name: 'other', command: 'node' });
    expect(printed(() => updatedConfig(current, { conf: other }, [], {}))).toBe(`${other} is the config of 'other', not of 'gh'`);
    expect(printed(() => updatedConfig(current, { conf: other, cwd: '/x' }, [], {}))).toBe('give either a config file (-c) or flags (--cwd), not both');
  });

  it('a config file and flags together are refused', () => {
    expect(printed(() => configFromArguments({ conf: file('a.json', {}), name: 'x' }, [], {}))).toBe('give either a config file (-c) or flags (--name), not both');
  });

  it('bad flag values name the field', () => {
    expect(printed(() => configFromArguments({ name: 'a__b', url: 'http://x/mcp' }, [], {}))).toBe(
      `invalid server config: field 'name' must not contain "__"`,
    );
    expect(printed(() => configFromArguments({ name: 'a', url: 'ftp://x' }, [], {}))).toBe(
      `invalid server config: field 'url' must be an http:// or https:// URL`,
    );
  });

  it('a config file has its placeholders expanded from the environment', () => {
    const path = file('gh.json', {
      name: 'gh',
      url: 'https://${HOST}/mcp',
      bearer_token: '${TOKEN}',
      headers: { 'X-Literal': '$${NOT_A_VAR}' },
    });
    expect(configFromArguments({ conf: path }, [], { HOST: 'api.example.com', TOKEN: 'secret' })).toEqual({
      name: 'gh',
      url: 'https://api.example.com/mcp',
      bearer_token: 'secret',
      headers: { 'X-Literal': '${NOT_A_VAR}' },
    });
  });

  it('placeholder errors name the file, the field and the variable', () => {
    const path = file('gh.json', { name: 'gh', url: 'https://x/mcp', headers: { Authorization: 'token ${GH_TOKEN}' } });
    expect(printed(() => configFromArguments({ conf: path }, [], {}))).toBe(
      `${path}: field 'headers.Authorization': environment variable GH_TOKEN is not set`,
    );
    const unclosed = file('u.json', { name: 'u', transport: 'stdio', command: 'node', args: ['${OOPS'] });
    expect(printed(() => configFromArguments({ conf: unclosed }, [], {}))).toMatch(/field 'args\[0\]': unclosed "\$\{"/);
    const empty = file('e.json', { name: 'e', transport: 'stdio', command: 'node', env: { A: '${}' } });
    expect(printed(() => configFromArguments({ conf: empty }, [], {}))).toMatch(/field 'env.A': empty variable name/);
  });

  it('schema errors in a file name the file and the field', () => {
    const path = file('s.json', { name: 'fs', transport: 'stdio' });
    expect(printed(() => configFromArguments({ conf: path }, [], {}))).toBe(`${path}: invalid server config: field 'command' is required for a stdio server`);
    const unknown = file('k.json', { name: 'fs', command: 'node', cmd: 'x' });
    expect(printed(() => configFromArguments({ conf: unknown }, [], {}))).toBe(`${unknown}: invalid server config: unknown field 'cmd'`);
  });

  it('unreadable and malformed files get one line', () => {
    expect(printed(() => readJsonFile(join(dir, 'missing.json')))).toBe(`${join(dir, 'missing.json')}: no such file`);
    const bad = file('bad.json', '{\n  "name": "x"\n  "url": "y"\n}');
    expect(printed(() => readJsonFile(bad))).toBe(`${bad} is not valid JSON (line 3, column 3: comma expected)`);
    expect(readJsonFile(file('c.json', '{ // VS Code style\n "a": 1, }'))).toEqual({ a: 1 });
    expect(printed(() => readJsonFile(file('empty.json', '')))).toBe(`${join(dir, 'empty.json')} is empty`);
  });
});

describe('enable/disable target', () => {
  it('bare names: "__" means a tool, else a server', () => {
    expect(resolveToggleTarget('github', undefined)).toEqual({ kind: 'server', name: 'github' });
    expect(resolveToggleTarget('github__delete_repo', undefined)).toEqual({ kind: 'tool', name: 'github__delete_repo' });
  });
  it('explicit kinds', () => {
    expect(resolveToggleTarget('prompt', 'e__p')).toEqual({ kind: 'prompt', name: 'e__p' });
    expect(resolveToggleTarget('server', 'a')).toEqual({ kind: 'server', name: 'a' });
    expect(() => resolveToggleTarget('servers', 'a')).toThrow(/unknown kind 'servers': use server, tool or prompt/);
  });
});

describe('export files', () => {
  it('one <name>.json per server, without the enabled flag', () => {
    const files = exportFiles(
      { servers: [{ name: 'memory', transport: 'stdio', command: 'node', args: ['m.js'], enabled: false }] },
      '/out',
    );
    expect(files).toEqual([
      {
        path: join('/out', 'memory.json'),
        enabled: false,
        text: `${JSON.stringify({ name: 'memory', transport: 'stdio', command: 'node', args: ['m.js'] }, null, 2)}\n`,
      },
    ]);
  });
});

describe('errors', () => {
  it('are one line, with an exit status', () => {
    expect(errorLine(new ApiError('not_found', "server 'x' not found", 404))).toBe("server 'x' not found");
    expect(errorLine(new CliError('stopped', 130))).toBe('stopped');
    expect(exitCodeOf(new CliError('stopped', 130))).toBe(130);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
    expect(errorLine(new Error('boom'))).toBe('boom');
    expect(errorLine(new Error('boom'), true)).toContain('at ');
  });
});

describe('CLI settings file', () => {
  it('is written 0600 and read back', () => {
    const path = join(dir, 'nested', 'cli.json');
    expect(readCliSettings(path)).toEqual({ tokens: {} });
    writeCliSettings(path, { tokens: { 'http://127.0.0.1:7450': 'tok' } });
    expect(readCliSettings(path)).toEqual({ tokens: { 'http://127.0.0.1:7450': 'tok' } });
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ tokens: { 'http://127.0.0.1:7450': 'tok' } });
  });
  it('a corrupt file says how to recover', () => {
    const path = file('cli.json', '{nope');
    expect(printed(() => readCliSettings(path))).toMatch(/is not valid JSON: fix it or delete it and run `canopy login TOKEN` again/);
  });
});
