// `/` on a gateway whose web UI is not built says how to build it (instead of a bare 404), and
// serves the UI once it is built, without a restart.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

describe('web UI files', () => {
  let dir: string;
  let t: TestGateway;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'canopy-ui-files-'));
    t = await startTestGateway({ rendererDir: join(dir, 'renderer') });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('explains how to build a missing UI on its pages, and only there', async () => {
    for (const path of ['/', '/servers']) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toMatch(/web UI is not built.*npm run build/s);
    }
    expect((await fetch(`${t.url}/assets/app.js`)).status).toBe(404);
    const api = await fetch(`${t.url}/api/v0/nothing`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('serves the UI as soon as it is built, without a restart', async () => {
    mkdirSync(join(dir, 'renderer'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Canopy</title>');
    const response = await fetch(`${t.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Canopy</title>');
  });
});
