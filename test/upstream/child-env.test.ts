import { describe, expect, it } from 'vitest';
import { childBaseEnvironment } from '../../main/core/upstream/child-env.ts';

describe('the environment stdio servers start from', () => {
  it("keeps the user's environment and drops Canopy's own secrets and settings", () => {
    const env = childBaseEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/ann',
      GITHUB_TOKEN: 'users-own',
      CANOPY_SECRET_KEY: 'k',
      CANOPY_INIT_TOKEN: 'i',
      CANOPY_TOKEN: 't',
      DATABASE_URL: 'postgres://u:p@db/c',
      TEST_DATABASE_URL: 'postgres://u:p@db/t',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer x',
      PGPASSWORD: 'p',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/ann', GITHUB_TOKEN: 'users-own' });
  });
});
