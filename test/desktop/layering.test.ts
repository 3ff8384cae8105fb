// The layers hold: main/core never imports Electron; the renderer (and everything it pulls in at
// runtime) imports no Node built-ins; in main/desktop only the thin glue files import Electron at
// runtime, so every decision module runs in plain Node.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

interface ImportRef {
  specifier: string;
  /** false for `import type` / `export type` (erased at compile time). */
  runtime: boolean;
}

/** Import specifiers of a source file; comments are stripped first so examples in them don't count. */
function importsOf(source: string): ImportRef[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const refs: ImportRef[] = [];
  for (const match of code.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm)) {
    refs.push({ specifier: match[3], runtime: !match[2] });
  }
  for (const match of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) refs.push({ specifier: match[1], runtime: true });
  for (const match of code.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)) refs.push({ specifier: match[1], runtime: true });
  return refs;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]);
const isElectron = (specifier: string) => specifier === 'electron' || specifier.startsWith('electron/');

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

describe('import scanner', () => {
  it('tells runtime imports from type-only ones', () => {
    const refs = importsOf(
      [
        "import type { A } from 'electron';",
        "import { app,\n  dialog } from 'electron';",
        "import './side-effect.ts';",
        "export { x } from './x.ts';",
        "export type { Y } from './y.ts';",
        "const m = await import('node:fs');",
        "// import { no } from 'node:os';",
      ].join('\n'),
    );
    expect(refs).toEqual([
      { specifier: 'electron', runtime: false },
      { specifier: 'electron', runtime: true },
      { specifier: './x.ts', runtime: true },
      { specifier: './y.ts', runtime: false },
      { specifier: './side-effect.ts', runtime: true },
      { specifier: 'node:fs', runtime: true },
    ]);
  });
});

describe('layers', () => {
  it('main/core never imports electron (not even types)', () => {
    const files = sourceFiles(join(ROOT, 'main', 'core'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) => importsOf(readFileSync(file, 'utf8')).some((ref) => isElectron(ref.specifier)));
    expect(offenders.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('the renderer, and everything it loads at runtime, imports no Node built-ins and no electron', () => {
    const entries = sourceFiles(join(ROOT, 'renderer'));
    expect(entries.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    const offenders: string[] = [];
    const queue = [...entries];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const ref of importsOf(readFileSync(file, 'utf8'))) {
        if (!ref.runtime) continue;
        if (isNodeBuiltin(ref.specifier) || isElectron(ref.specifier)) offenders.push(`${relative(ROOT, file)} → ${ref.specifier}`);
        if (ref.specifier.startsWith('.')) {
          const target = resolveRelative(file, ref.specifier);
          if (target && /\.(ts|tsx)$/.test(target)) queue.push(target);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('in main/desktop only the Electron glue files import electron at runtime', () => {
    const glue = new Set([
      'main.ts',
      'app-events/apply-login-item.ts',
      'ipc/register.ts',
      'preferences/electron-backing.ts',
      'tray/canopy-tray.ts',
      'tray/electron-menu.ts',
      'tray/tray-actions.ts',
      'tray/show-notice.ts',
      'window/harden.ts',
      'window/main-window.ts',
    ]);
    const desktop = join(ROOT, 'main', 'desktop');
    const importing = sourceFiles(desktop)
      .filter((file) => importsOf(readFileSync(file, 'utf8')).some((ref) => ref.runtime && (isElectron(ref.specifier) || ref.specifier === 'electron-store')))
      .map((file) => relative(desktop, file).split('\\').join('/'));
    expect(importing.filter((file) => !glue.has(file))).toEqual([]);
    // …and no decision module reaches a glue file (which would drag Electron into Node tests).
    for (const file of sourceFiles(desktop)) {
      const name = relative(desktop, file).split('\\').join('/');
      if (glue.has(name)) continue;
      const reached = importsOf(readFileSync(file, 'utf8'))
        .filter((ref) => ref.runtime && ref.specifier.startsWith('.'))
        .map((ref) => resolveRelative(file, ref.specifier))
        .filter((target): target is string => target !== undefined && target.startsWith(desktop))
        .map((target) => relative(desktop, target).split('\\').join('/'));
      expect(reached.filter((target) => glue.has(target)), name).toEqual([]);
    }
  });

  it('the preload imports only electron and its own folder', () => {
    const refs = importsOf(readFileSync(join(ROOT, 'preload', 'preload.ts'), 'utf8')).filter((ref) => ref.runtime);
    expect(refs.every((ref) => ref.specifier === 'electron' || ref.specifier.startsWith('./'))).toBe(true);
  });
});
