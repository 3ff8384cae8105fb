import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLoginShellEnvironment, mergeSearchPaths, parseLoginShellOutput } from '../../main/core/upstream/login-shell-env.ts';

describe('parseLoginShellOutput', () => {
  it('reads NUL-separated entries between the markers, ignoring rc-file noise', () => {
    const output = 'Welcome!\nM' + 'PATH=/a:/b\0MULTI=line1\nline2\0EQ=a=b\0' + 'M\nbye';
    expect(parseLoginShellOutput(output, 'M')).toEqual({ PATH: '/a:/b', MULTI: 'line1\nline2', EQ: 'a=b' });
  });

  it('returns undefined without both markers', () => {
    expect(parseLoginShellOutput('PATH=/a\0', 'M')).toBeUndefined();
    expect(parseLoginShellOutput('M PATH=/a\0', 'M')).toBeUndefined();
  });
});

describe('mergeSearchPaths', () => {
  it("puts what only Canopy's PATH has first, then the login shell's, without duplicates", () => {
    expect(mergeSearchPaths('/venv/bin:/usr/bin:/bin', '/opt/homebrew/bin:/usr/bin:/bin')).toBe('/venv/bin:/opt/homebrew/bin:/usr/bin:/bin');
    // A desktop launcher's bare PATH adds nothing the login shell lacks.
    expect(mergeSearchPaths('/usr/bin:/bin', '/opt/homebrew/bin:/usr/bin:/bin')).toBe('/opt/homebrew/bin:/usr/bin:/bin');
    expect(mergeSearchPaths(undefined, '/a:/a:/b')).toBe('/a:/b');
    expect(mergeSearchPaths('/a', undefined)).toBe('/a');
  });
});

describe.skipIf(process.platform === 'win32')('loadLoginShellEnvironment', () => {
  it("takes the login shell's environment over process.env", async () => {
    // A stand-in "login shell" whose rc sets PATH the way ~/.zshrc would, and prints a banner.
    const dir = mkdtempSync(join(tmpdir(), 'canopy-shell-'));
    const shell = join(dir, 'fake-login-shell');
    writeFileSync(shell, `#!/bin/sh\necho 'motd banner'\nexport PATH="/opt/from-login-shell:$PATH" FROM_RC=yes\nexec /bin/sh -c "$2"\n`);
    chmodSync(shell, 0o755);
    const result = await loadLoginShellEnvironment({ shell });
    expect(result.source).toBe('login-shell');
    expect(result.env.PATH).toMatch(/^\/opt\/from-login-shell:/);
    expect(result.env.FROM_RC).toBe('yes');
    expect(result.env.CANOPY_RESOLVING_SHELL_ENV).toBeUndefined();
  });

  it("keeps the directories only Canopy's own PATH has (a virtualenv), before the login shell's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-shell-'));
    const shell = join(dir, 'fake-login-shell');
    // An rc file that sets PATH outright, as many do.
    writeFileSync(shell, `#!/bin/sh\nexport PATH="/opt/from-login-shell:/usr/bin:/bin"\nexec /bin/sh -c "$2"\n`);
    chmodSync(shell, 0o755);
    const result = await loadLoginShellEnvironment({ shell, env: { ...process.env, PATH: '/home/me/project/.venv/bin:/usr/bin:/bin' } });
    expect(result.source).toBe('login-shell');
    expect(result.env.PATH).toBe('/home/me/project/.venv/bin:/opt/from-login-shell:/usr/bin:/bin');
  });

  it('falls back to process.env when the shell fails or hangs', async () => {
    const missing = await loadLoginShellEnvironment({ shell: '/nonexistent/shell' });
    expect(missing).toMatchObject({ source: 'process', reason: expect.stringContaining('/nonexistent/shell failed') });
    expect(missing.env.PATH).toBe(process.env.PATH);
    const hangingShell = join(mkdtempSync(join(tmpdir(), 'canopy-shell-')), 'hanging-shell');
    writeFileSync(hangingShell, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(hangingShell, 0o755);
    const started = Date.now();
    const hanging = await loadLoginShellEnvironment({ shell: hangingShell, timeoutMs: 300 });
    expect(hanging.source).toBe('process');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.skipIf(!existsSync('/bin/bash'))('reads a real bash login shell', async () => {
    const result = await loadLoginShellEnvironment({ shell: '/bin/bash' });
    expect(result.source).toBe('login-shell');
    expect(result.env.PATH).toBeTruthy();
  });

  it('is not used on Windows', async () => {
    expect(await loadLoginShellEnvironment({ platform: 'win32' })).toMatchObject({ source: 'process', reason: 'not used on Windows' });
  });
});
