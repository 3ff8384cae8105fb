import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installCliOnPath, removeCliFromPath, type UserPath } from '../../main/desktop/cli-on-path/install.ts';
import { cliOnPathPlan, userPathWith, userPathWithout, type CliOnPathContext, type CliOnPathPlan } from '../../main/desktop/cli-on-path/plan.ts';

type Install = Extract<CliOnPathPlan, { kind: 'install' }>;
const installPlan = (plan: CliOnPathPlan): Install => {
  if (plan.kind !== 'install') throw new Error(plan.reason);
  return plan;
};

const linux = (over: Partial<CliOnPathContext> = {}): CliOnPathContext => ({
  platform: 'linux',
  home: '/home/ann',
  env: { PATH: '/usr/bin:/home/ann/.local/bin' },
  execPath: '/opt/Canopy/canopy',
  appPath: '/opt/Canopy/resources/app.asar',
  dataDir: '/home/ann/.local/share/canopy',
  ...over,
});

describe('where the canopy launcher goes', () => {
  it('Linux: ~/.local/bin/canopy running the bundled CLI in Node mode, already on PATH', () => {
    const plan = installPlan(cliOnPathPlan(linux()));
    expect(plan.launcher.path).toBe('/home/ann/.local/bin/canopy');
    expect(plan.launcher.mode).toBe(0o755);
    expect(plan.launcher.content).toContain('ELECTRON_RUN_AS_NODE=1 exec "/opt/Canopy/canopy" "/opt/Canopy/resources/app.asar/dist/desktop/cli.mjs" "$@"');
    expect(plan.onPath).toBe(true);
    expect(plan.link).toBeUndefined();
  });

  it('Linux: says when ~/.local/bin is not on PATH (trailing slashes do not matter)', () => {
    expect(installPlan(cliOnPathPlan(linux({ env: { PATH: '/usr/bin' } }))).onPath).toBe(false);
    expect(installPlan(cliOnPathPlan(linux({ env: { PATH: '/usr/bin:/home/ann/.local/bin/' } }))).onPath).toBe(true);
  });

  it('paths with quotes and dollars stay literal in the sh launcher', () => {
    const plan = installPlan(cliOnPathPlan(linux({ execPath: '/opt/Ca "$HOME" `x`/canopy' })));
    expect(plan.launcher.content).toContain('exec "/opt/Ca \\"\\$HOME\\" \\`x\\`/canopy"');
  });

  it('macOS: a launcher in the data dir, symlinked from /usr/local/bin', () => {
    const plan = installPlan(
      cliOnPathPlan({
        platform: 'darwin',
        home: '/Users/ann',
        env: { PATH: '/usr/local/bin:/usr/bin' },
        execPath: '/Applications/Canopy.app/Contents/MacOS/Canopy',
        appPath: '/Applications/Canopy.app/Contents/Resources/app.asar',
        dataDir: '/Users/ann/Library/Application Support/Canopy',
      }),
    );
    expect(plan.launcher.path).toBe('/Users/ann/Library/Application Support/Canopy/bin/canopy');
    expect(plan.link).toEqual({ path: '/usr/local/bin/canopy', target: plan.launcher.path });
    expect(plan.commandPath).toBe('/usr/local/bin/canopy');
    expect(plan.onPath).toBe(true);
  });

  it('Windows: canopy.cmd in %LOCALAPPDATA%\\Canopy\\bin, which joins the user PATH', () => {
    const plan = installPlan(
      cliOnPathPlan({
        platform: 'win32',
        home: 'C:\\Users\\ann',
        env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local', Path: 'C:\\Windows' },
        execPath: 'C:\\Program Files\\Canopy\\Canopy.exe',
        appPath: 'C:\\Program Files\\Canopy\\resources\\app.asar',
        dataDir: 'C:\\Users\\ann\\AppData\\Roaming\\Canopy',
      }),
    );
    expect(plan.launcher.path).toBe('C:\\Users\\ann\\AppData\\Local\\Canopy\\bin\\canopy.cmd');
    expect(plan.userPathDir).toBe('C:\\Users\\ann\\AppData\\Local\\Canopy\\bin');
    expect(plan.launcher.content).toContain('"C:\\Program Files\\Canopy\\Canopy.exe" "C:\\Program Files\\Canopy\\resources\\app.asar\\dist\\desktop\\cli.mjs" %*');
    expect(plan.launcher.content).toContain('\r\nset ELECTRON_RUN_AS_NODE=1\r\n');
    expect(plan.onPath).toBe(false);
  });

  it('the Windows user PATH gains the folder once and loses only it', () => {
    expect(userPathWith('C:\\Windows;C:\\Tools', 'C:\\X\\bin')).toBe('C:\\Windows;C:\\Tools;C:\\X\\bin');
    expect(userPathWith('C:\\Windows;c:\\x\\BIN\\', 'C:\\X\\bin')).toBeUndefined();
    expect(userPathWith('', 'C:\\X\\bin')).toBe('C:\\X\\bin');
    expect(userPathWithout('C:\\Windows;C:\\X\\bin;C:\\Tools', 'c:\\x\\bin')).toBe('C:\\Windows;C:\\Tools');
    expect(userPathWithout('C:\\Windows', 'C:\\X\\bin')).toBeUndefined();
  });

  it('an AppImage is refused with the reason', () => {
    expect(cliOnPathPlan(linux({ env: { APPIMAGE: '/home/ann/Canopy.AppImage' } }))).toMatchObject({ kind: 'unsupported', reason: expect.stringContaining('AppImage') });
  });
});

describe('installing the launcher on a temporary home', () => {
  let home: string;
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  /** A stand-in for the bundled CLI: prints its arguments (Node ignores ELECTRON_RUN_AS_NODE). */
  function fakeApp(): { execPath: string; appPath: string } {
    const appPath = join(home, 'app with space');
    mkdirSync(join(appPath, 'dist', 'desktop'), { recursive: true });
    writeFileSync(join(appPath, 'dist', 'desktop', 'cli.mjs'), 'console.log(JSON.stringify({ args: process.argv.slice(2), node: process.env.ELECTRON_RUN_AS_NODE }));\n');
    return { execPath: process.execPath, appPath };
  }

  it('Linux: writes an executable launcher that runs the CLI with the arguments given', async () => {
    home = mkdtempSync(join(tmpdir(), 'canopy-path-'));
    const plan = cliOnPathPlan({ ...linux(), home, env: { PATH: '/usr/bin' }, dataDir: join(home, 'data'), ...fakeApp() });
    const result = await installCliOnPath(plan, 'linux');
    expect(result.ok).toBe(true);
    expect(result.message).toContain(`add \`export PATH="${home}/.local/bin:$PATH"\``);
    const launcher = join(home, '.local', 'bin', 'canopy');
    expect(statSync(launcher).mode & 0o777).toBe(0o755);
    const output = execFileSync(launcher, ['list', 'servers', 'two words'], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ args: ['list', 'servers', 'two words'], node: '1' });

    // Again (e.g. after the app moved): rewritten, still fine. Then removed.
    expect((await installCliOnPath(plan, 'linux')).ok).toBe(true);
    expect((await removeCliFromPath(plan)).ok).toBe(true);
    expect(existsSync(launcher)).toBe(false);
  });

  it('never replaces a canopy that is not ours, and does not remove it either', async () => {
    home = mkdtempSync(join(tmpdir(), 'canopy-path-'));
    const plan = cliOnPathPlan({ ...linux(), home, dataDir: join(home, 'data'), ...fakeApp() });
    const theirs = join(home, '.local', 'bin', 'canopy');
    mkdirSync(join(home, '.local', 'bin'), { recursive: true });
    writeFileSync(theirs, '#!/bin/sh\necho npm-installed canopy\n');
    const result = await installCliOnPath(plan, 'linux');
    expect(result).toEqual({ ok: false, message: expect.stringContaining(`A different \`canopy\` is already at ${theirs}`) });
    await removeCliFromPath(plan);
    expect(readFileSync(theirs, 'utf8')).toContain('npm-installed');
  });

  it('macOS layout: the link is made to the launcher; a foreign link is left alone', async () => {
    home = mkdtempSync(join(tmpdir(), 'canopy-path-'));
    const planned = installPlan(cliOnPathPlan({ ...linux(), platform: 'darwin', home, dataDir: join(home, 'data'), ...fakeApp() }));
    // /usr/local/bin moved under the temporary home.
    const plan: Install = { ...planned, link: { path: join(home, 'usr-local-bin', 'canopy'), target: planned.launcher.path } };
    expect((await installCliOnPath(plan, 'darwin')).ok).toBe(true);
    expect(readlinkSync(plan.link!.path)).toBe(plan.launcher.path);
    expect(JSON.parse(execFileSync(plan.link!.path, ['status'], { encoding: 'utf8' })).args).toEqual(['status']);
    await removeCliFromPath(plan);
    expect(existsSync(plan.link!.path)).toBe(false);

    const foreignLink = { ...plan, link: { path: plan.link!.path, target: plan.launcher.path } };
    mkdirSync(join(home, 'elsewhere'), { recursive: true });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(home, 'elsewhere', 'canopy'), plan.link!.path);
    expect((await installCliOnPath(foreignLink, 'darwin')).ok).toBe(false);
    expect(lstatSync(plan.link!.path).isSymbolicLink()).toBe(true);
    expect(readlinkSync(plan.link!.path)).toBe(join(home, 'elsewhere', 'canopy'));
  });

  it('Windows layout: the folder joins the user PATH once and leaves it on removal', async () => {
    home = mkdtempSync(join(tmpdir(), 'canopy-path-'));
    let value = 'C:\\Windows';
    const userPath: UserPath = { get: async () => value, set: async (next) => void (value = next) };
    const planned = installPlan(cliOnPathPlan({ ...linux(), home, dataDir: join(home, 'data'), ...fakeApp() }));
    const plan: Install = { ...planned, userPathDir: 'C:\\Users\\ann\\AppData\\Local\\Canopy\\bin' };
    await installCliOnPath(plan, 'win32', userPath);
    await installCliOnPath(plan, 'win32', userPath);
    expect(value).toBe('C:\\Windows;C:\\Users\\ann\\AppData\\Local\\Canopy\\bin');
    await removeCliFromPath(plan, userPath);
    expect(value).toBe('C:\\Windows');
  });
});
