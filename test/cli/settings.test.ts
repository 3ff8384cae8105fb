import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDatabasePath, userConfigDir, userDataDir } from '../../main/core/paths.ts';
import { resolveServeSettings } from '../../main/cli/serve-settings.ts';
import { cliSettingsPath } from '../../main/cli/cli-settings.ts';

const linux = { platform: 'linux' as const, env: {}, home: '/home/ann' };

describe('user dirs', () => {
  it('Linux: XDG dirs, else ~/.local/share and ~/.config', () => {
    expect(userDataDir(linux)).toBe('/home/ann/.local/share/canopy');
    expect(userConfigDir(linux)).toBe('/home/ann/.config/canopy');
    const xdg = { ...linux, env: { XDG_DATA_HOME: '/xdg/data', XDG_CONFIG_HOME: '/xdg/config' } };
    expect(userDataDir(xdg)).toBe('/xdg/data/canopy');
    expect(userConfigDir(xdg)).toBe('/xdg/config/canopy');
    expect(defaultDatabasePath(xdg)).toBe('/xdg/data/canopy/canopy.db');
  });

  it('Linux: relative XDG paths are ignored, as the spec says', () => {
    expect(userDataDir({ ...linux, env: { XDG_DATA_HOME: 'relative' } })).toBe('/home/ann/.local/share/canopy');
  });

  it('macOS: Application Support', () => {
    const mac = { platform: 'darwin' as const, env: {}, home: '/Users/ann' };
    expect(userDataDir(mac)).toBe('/Users/ann/Library/Application Support/Canopy');
    expect(userConfigDir(mac)).toBe('/Users/ann/Library/Application Support/Canopy');
  });

  it('Windows: %APPDATA%', () => {
    const win = { platform: 'win32' as const, env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, home: 'C:\\Users\\ann' };
    expect(userDataDir(win)).toBe('C:\\Users\\ann\\AppData\\Roaming\\Canopy');
    expect(defaultDatabasePath(win)).toBe('C:\\Users\\ann\\AppData\\Roaming\\Canopy\\canopy.db');
    expect(userDataDir({ ...win, env: {} })).toBe('C:\\Users\\ann\\AppData\\Roaming\\Canopy');
  });

  it('the CLI settings file lives in the config dir', () => {
    expect(cliSettingsPath(userConfigDir(linux))).toBe('/home/ann/.config/canopy/cli.json');
  });
});

describe('canopy serve settings', () => {
  it('defaults: gateway defaults for host and port, SQLite in the data dir, development mode', () => {
    expect(resolveServeSettings({}, {}, linux)).toEqual({
      host: undefined,
      port: undefined,
      store: { kind: 'sqlite', path: '/home/ann/.local/share/canopy/canopy.db' },
      dataDir: '/home/ann/.local/share/canopy',
      mode: 'development',
      allowedHosts: [],
      allowedOrigins: [],
    });
  });

  it('allowed hosts and origins for a gateway reached by name', () => {
    const fromEnv = resolveServeSettings(
      {},
      { CANOPY_ALLOWED_HOSTS: 'canopy.example.com, gw.internal', CANOPY_ALLOWED_ORIGINS: 'https://canopy.example.com/' },
      linux,
    );
    expect(fromEnv).toMatchObject({ allowedHosts: ['canopy.example.com', 'gw.internal'], allowedOrigins: ['https://canopy.example.com'] });
    expect(resolveServeSettings({ allowedHosts: 'a.example' }, { CANOPY_ALLOWED_HOSTS: 'b.example' }, linux).allowedHosts).toEqual(['a.example']);
    expect(() => resolveServeSettings({ allowedOrigins: 'not an origin' }, {}, linux)).toThrow('--allowed-origins: "not an origin" is not an origin');
  });

  it('environment', () => {
    const settings = resolveServeSettings(
      {},
      { CANOPY_HOST: '0.0.0.0', CANOPY_PORT: '8000', DATABASE_URL: 'postgres://u:p@db/canopy', CANOPY_MODE: 'enterprise' },
      linux,
    );
    expect(settings).toMatchObject({ host: '0.0.0.0', port: 8000, store: { kind: 'postgres', url: 'postgres://u:p@db/canopy' }, mode: 'enterprise' });
    expect(resolveServeSettings({}, { CANOPY_DB_PATH: 'data/c.db' }, linux).store).toEqual({ kind: 'sqlite', path: resolve('data/c.db') });
  });

  it('flags win over the environment', () => {
    const settings = resolveServeSettings(
      { host: '127.0.0.2', port: '0', db: '/tmp/x.db', enterprise: true },
      { CANOPY_HOST: '0.0.0.0', CANOPY_PORT: '8000', DATABASE_URL: 'postgres://db/c' },
      linux,
    );
    expect(settings).toMatchObject({ host: '127.0.0.2', port: 0, store: { kind: 'sqlite', path: '/tmp/x.db' }, mode: 'enterprise' });
  });

  it('bad values name the flag or variable', () => {
    expect(() => resolveServeSettings({ port: 'http' }, {}, linux)).toThrow('--port: "http" is not a port number');
    expect(() => resolveServeSettings({}, { CANOPY_PORT: '70000' }, linux)).toThrow('CANOPY_PORT: "70000" is not a port number');
    expect(() => resolveServeSettings({ db: 'a', databaseUrl: 'postgres://x' }, {}, linux)).toThrow('not both');
    expect(() => resolveServeSettings({ databaseUrl: 'mysql://x' }, {}, linux)).toThrow('--database-url must be a PostgreSQL URL');
    expect(() => resolveServeSettings({}, { CANOPY_MODE: 'prod' }, linux)).toThrow('CANOPY_MODE must be "enterprise" or "development"');
  });
});
