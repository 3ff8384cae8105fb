// The tray and app icons exist and are real images; the packaging config covers the three
// platforms, native modules and the tray assets.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allTrayIconFiles } from '../../main/desktop/tray/icons.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(file: Buffer): { width: number; height: number } {
  expect(file.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20) };
}

describe('assets', () => {
  it('every tray image the app can ask for exists, with @2x for macOS templates', () => {
    for (const name of allTrayIconFiles()) {
      const path = join(ROOT, 'assets', name);
      expect(existsSync(path), name).toBe(true);
      const file = readFileSync(path);
      if (name.endsWith('.png')) {
        const { width, height } = pngSize(file);
        expect(width).toBe(height);
        if (name.endsWith('Template.png')) {
          expect(pngSize(readFileSync(path.replace('.png', '@2x.png')))).toEqual({ width: width * 2, height: height * 2 });
        }
      } else {
        // ICO: reserved 0, type 1, several sizes.
        expect(file.readUInt16LE(0)).toBe(0);
        expect(file.readUInt16LE(2)).toBe(1);
        expect(file.readUInt16LE(4)).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('the app icon is large enough for every platform', () => {
    expect(pngSize(readFileSync(join(ROOT, 'assets', 'icon.png')))).toEqual({ width: 1024, height: 1024 });
    const ico = readFileSync(join(ROOT, 'assets', 'icon.ico'));
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(sizes).toContain(256);
  });
});

describe('electron-builder.yml', () => {
  const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
  it('builds dmg, nsis, AppImage and deb', () => {
    for (const target of ['target: dmg', 'target: nsis', '- AppImage', '- deb']) expect(config).toContain(target);
  });
  it('unpacks and rebuilds the native modules, ships tray assets and the renderer', () => {
    for (const line of ['"**/node_modules/better-sqlite3/**"', '"**/node_modules/keytar/**"', 'npmRebuild: true', 'dist/desktop/stdio-bridge.cjs', 'dist/renderer/**', 'dist/desktop/**']) {
      expect(config).toContain(line);
    }
    expect(config).toMatch(/extraResources:\n\s+- from: assets\n\s+to: assets/);
  });
  it('packs what the build writes', () => {
    const build = readFileSync(join(ROOT, 'scripts', 'build-desktop.mjs'), 'utf8');
    for (const out of ['dist/desktop/main.js', 'dist/desktop/preload.cjs', 'dist/desktop/stdio-bridge.cjs']) expect(build).toContain(`outfile: '${out}'`);
  });
});
