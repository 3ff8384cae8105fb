import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cmdShimPlan, quoteForCmd, resolveCommand, workingDirectory, type ResolveCommandInput } from '../../main/core/upstream/command-resolution.ts';

function resolve(input: Partial<ResolveCommandInput> & { files: string[] }) {
  const files = new Set(input.files);
  return resolveCommand({ command: 'uvx', args: [], env: {}, platform: 'linux', ...input, isExecutable: (path) => files.has(path) });
}

describe('resolveCommand on POSIX', () => {
  it('finds the first match on the PATH of the child env', () => {
    const result = resolve({ env: { PATH: '/opt/a:/home/u/.local/bin:/usr/bin' }, files: ['/home/u/.local/bin/uvx', '/usr/bin/uvx'], args: ['mcp-server-git'] });
    expect(result).toEqual({ ok: true, plan: { file: '/home/u/.local/bin/uvx', args: ['mcp-server-git'], windowsVerbatimArguments: false } });
  });

  it('says which PATH was searched when the command is missing', () => {
    const result = resolve({ env: { PATH: '/usr/bin:/bin' }, files: [] });
    expect(result).toEqual({
      ok: false,
      error: "command 'uvx' not found on PATH (/usr/bin:/bin): install it, or set the full path as the server's command",
    });
  });

  it('shortens a long PATH and names an empty one', () => {
    const long = Array.from({ length: 12 }, (_, i) => `/d${i}`).join(':');
    expect(resolve({ env: { PATH: long }, files: [] })).toMatchObject({ error: expect.stringContaining('/d7:… 4 more') });
    expect(resolve({ env: {}, files: [] })).toMatchObject({ error: expect.stringContaining('(PATH is empty)') });
  });

  it('uses a path with a directory as it is', () => {
    expect(resolve({ command: './bin/server', env: { PATH: '/usr/bin' }, files: ['./bin/server'] })).toMatchObject({ ok: true, plan: { file: './bin/server' } });
    expect(resolve({ command: '/opt/x/server', env: { PATH: '/opt/x' }, files: [] })).toEqual({
      ok: false,
      error: "command '/opt/x/server' not found or not executable: check the path in the server config",
    });
  });
});

describe('resolveCommand on Windows', () => {
  const env = { Path: 'C:\\Program Files\\nodejs;C:\\Users\\u\\.local\\bin', PATHEXT: '.COM;.EXE;.BAT;.CMD', ComSpec: 'C:\\Windows\\system32\\cmd.exe' };

  it('reads Path case-insensitively and tries PATHEXT extensions', () => {
    const result = resolve({ platform: 'win32', env, files: ['C:\\Users\\u\\.local\\bin\\uvx.exe'], args: ['x'] });
    expect(result).toEqual({ ok: true, plan: { file: 'C:\\Users\\u\\.local\\bin\\uvx.exe', args: ['x'], windowsVerbatimArguments: false } });
  });

  it('runs a .cmd shim through cmd.exe with quoted arguments', () => {
    const result = resolve({ platform: 'win32', command: 'npx', env, files: ['C:\\Program Files\\nodejs\\npx.cmd'], args: ['-y', '@scope/server', 'a b&c'] });
    expect(result).toEqual({
      ok: true,
      plan: {
        file: 'C:\\Windows\\system32\\cmd.exe',
        args: ['/d', '/s', '/c', '"C:\\Program^ Files\\nodejs\\npx.cmd ^"-y^" ^"@scope/server^" ^"a^ b^&c^""'],
        windowsVerbatimArguments: true,
      },
    });
  });

  it('does not add extensions to a name that has one', () => {
    expect(resolve({ platform: 'win32', command: 'tool.exe', env, files: ['C:\\Program Files\\nodejs\\tool.exe'] })).toMatchObject({ ok: true });
    expect(resolve({ platform: 'win32', command: 'tool', env, files: ['C:\\Program Files\\nodejs\\tool'] })).toMatchObject({ ok: false });
  });
});

describe('quoting for cmd.exe', () => {
  it('escapes quotes, trailing backslashes and metacharacters', () => {
    expect(quoteForCmd('plain')).toBe('^"plain^"');
    expect(quoteForCmd('say "hi"')).toBe('^"say^ \\^"hi\\^"^"');
    expect(quoteForCmd('C:\\dir\\')).toBe('^"C:\\dir\\\\^"');
    expect(quoteForCmd('50%')).toBe('^"50^%^"');
  });

  it('escapes twice for node_modules\\.bin shims, which cmd parses again', () => {
    const plan = cmdShimPlan('C:\\p\\node_modules\\.bin\\server.cmd', ['a&b'], {});
    expect(plan.file).toBe('cmd.exe');
    expect(plan.args[3]).toBe('"C:\\p\\node_modules\\.bin\\server.cmd ^^^"a^^^&b^^^""');
  });
});

describe('working directory', () => {
  it('finds a relative command from the server’s cwd, not from wherever Canopy runs', () => {
    expect(resolve({ command: './bin/server', cwd: '/srv/project', env: { PATH: '/usr/bin' }, files: ['/srv/project/bin/server'] })).toMatchObject({
      ok: true,
      plan: { file: '/srv/project/bin/server' },
    });
  });

  it("is the server's cwd, else the home directory, and must exist", () => {
    const home = mkdtempSync(join(tmpdir(), 'canopy-home-'));
    expect(workingDirectory(undefined, home)).toEqual({ ok: true, dir: home });
    expect(workingDirectory(tmpdir(), home)).toEqual({ ok: true, dir: tmpdir() });
    expect(workingDirectory(join(home, 'missing'), home)).toEqual({
      ok: false,
      error: `working directory '${join(home, 'missing')}' does not exist or is not a directory: create it, or change the server's cwd`,
    });
  });
});
