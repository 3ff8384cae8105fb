// The CLI's browser opener: $BROWSER first (as the convention reads it), else the platform opener;
// it reports whether a browser started and never throws.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserCommands, openBrowser } from '../../main/core/upstream/oauth/open-browser.ts';

const url = 'http://127.0.0.1:9/authorize?client_id=a&state=b';
const dir = mkdtempSync(join(tmpdir(), 'canopy-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('browserCommands', () => {
  it('uses the platform opener without $BROWSER', () => {
    expect(browserCommands(url, 'linux', undefined)).toEqual([{ command: 'xdg-open', args: [url] }]);
    expect(browserCommands(url, 'darwin', '')).toEqual([{ command: 'open', args: [url] }]);
    expect(browserCommands(url, 'win32', undefined)).toEqual([{ command: 'cmd.exe', args: ['/d', '/s', '/c', `"start "" "${url}""`], verbatim: true }]);
  });

  it('honours every $BROWSER entry, with %s marking the URL', () => {
    expect(browserCommands(url, 'linux', 'firefox -new-tab: chromium --app=%s ')).toEqual([
      { command: 'firefox', args: ['-new-tab', url] },
      { command: 'chromium', args: [`--app=${url}`] },
    ]);
  });
});

describe('openBrowser', () => {
  it('runs the $BROWSER command with the URL and reports success', async () => {
    const script = join(dir, 'record.mjs');
    const out = join(dir, 'opened.txt');
    writeFileSync(script, `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(out)}, process.argv[2]);`);
    expect(await openBrowser(url, { browserVariable: `${process.execPath} ${script}` })).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe(url);
  });

  it('counts a browser that keeps running as opened', async () => {
    const script = join(dir, 'linger.mjs');
    writeFileSync(script, 'setTimeout(() => {}, 1000);');
    expect(await openBrowser(url, { browserVariable: `${process.execPath} ${script}`, settleMs: 200 })).toBe(true);
  });

  it('reports failure without throwing for a missing or failing command', async () => {
    expect(await openBrowser(url, { browserVariable: join(dir, 'no-such-browser') })).toBe(false);
    expect(await openBrowser(url, { browserVariable: 'false' })).toBe(false);
  });
});
