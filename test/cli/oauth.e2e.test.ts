// End to end: `canopy register` / `canopy authorize` for an upstream behind OAuth. $BROWSER points
// at a tiny "browser" that follows the authorization URL's redirects (the test authorization server
// approves at once), or at one that does nothing (the user never approves, then presses Ctrl-C).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../support/oauth-server.ts';
import { errorOf, isolatedCliEnv, runCli, spawnCli, waitForOutput } from './run-cli.ts';

let gateway: TestGateway;
let upstream: ProtectedMcpServer;
let dir: string;
let env: NodeJS.ProcessEnv;
let approvingBrowser: string;
let idleBrowser: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-cli-oauth-'));
  [gateway, upstream] = await Promise.all([startTestGateway(), startProtectedMcpServer()]);
  const approve = join(dir, 'approve.mjs');
  writeFileSync(approve, 'await fetch(process.argv[2], { redirect: "follow" }).then((r) => r.text());\n');
  const idle = join(dir, 'idle.mjs');
  writeFileSync(idle, '');
  approvingBrowser = `${process.execPath} ${approve}`;
  idleBrowser = `${process.execPath} ${idle}`;
  env = isolatedCliEnv(dir, gateway.url);
});

afterAll(async () => {
  await Promise.allSettled([gateway?.close(), upstream?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('upstream OAuth from the CLI', () => {
  it('register opens the browser, waits, and finishes when the user approves', async () => {
    const result = await runCli(['register', '--name', 'todo', '--url', upstream.mcpUrl], { ...env, BROWSER: approvingBrowser }, 60_000);
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("'todo' needs authorization. Open this URL in your browser to approve access:");
    expect(result.stdout).toMatch(/^ {2}http:\/\/127\.0\.0\.1:\d+\/authorize\?/m);
    expect(result.stdout).toMatch(/✓ authorized todo \(streamable_http\): running, \d+ tools?/);
  });

  it('Ctrl-C leaves the server registered as needing authorization; authorize continues', async () => {
    const child = spawnCli(['register', '--name', 'later', '--url', upstream.mcpUrl], { ...env, BROWSER: idleBrowser });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitForOutput(child, /waiting for authorization of 'later'/);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(stderr.trim().split('\n').at(-1)).toBe(
      "error: stopped waiting: 'later' stays registered and needs authorization; run `canopy authorize later` to continue",
    );

    const servers = await runCli(['list', 'servers'], env);
    expect(servers.stdout).toMatch(/later\s+streamable_http\s+needs authorization/);
    expect(servers.stdout).toContain('later: needs authorization: run `canopy authorize later`');
    const doctor = await runCli(['doctor'], env);
    expect(doctor.code).toBe(1);
    expect(errorOf(doctor)).toBe('error: 1 problem found: see above');

    const authorized = await runCli(['authorize', 'later'], { ...env, BROWSER: approvingBrowser }, 60_000);
    expect(authorized.code).toBe(0);
    expect(authorized.stdout).toMatch(/✓ authorized later \(streamable_http\): running/);
  });
});
