// The layers hold: main/core never imports Electron; the renderer (and everything it pulls in at
// runtime) imports no Node built-ins; in main/desktop only the thin glue files import Electron at
// runtime, so every decision module runs in plain Node; inside main/core the rooms import only the
// rooms below them; and no module imports itself through others (no cycles, type imports included).
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

/** The source file a module path names, with or without its extension. */
function sourceFileAt(base: string): string | undefined {
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

const resolveRelative = (from: string, specifier: string) => sourceFileAt(resolve(dirname(from), specifier));

/** The project file an import names (relative, or `@core/...` as tsconfig.json maps it), or undefined for packages. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('@core/')) return sourceFileAt(join(ROOT, 'main', 'core', specifier.slice('@core/'.length)));
  return specifier.startsWith('.') ? resolveRelative(from, specifier) : undefined;
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

/**
 * The rooms of main/core, bottom first. A room imports only rooms below it (type imports too: they
 * are how cycles start). A new folder fails the test until it is given its place here.
 */
const CORE_ROOMS = [
  'model', // domain types every room may import; imports nothing of core
  'shared files', // errors.ts, defaults.ts, paths.ts, data-dir-lock.ts at the top of main/core
  'config', // zod schemas of server configs, names, ${VAR} placeholders
  'connect-apps', // client apps' config files (Cursor, Claude, VS Code…)
  'store', // Kysely repositories, migrations
  'secrets', // secret stores; secret fields of a server config
  'upstream', // one connection per registered server, OAuth client
  'connections', // per-user upstream credentials (a personal token or OAuth per user and server)
  'telemetry', // logger, metrics, audit trail
  'search', // the search view's index and ranking (pure; the gateway serves it)
  'gateway', // downstream MCP sessions, catalog, routing
  'http', // the Hono server, origin guard, static UI
  'access', // modes, identities, tokens, allow-lists, the access guard
  'sign-in', // enterprise sign-in: the OAuth authorization server, company-IdP login, consent
  'contract', // api/contract.ts: the admin API's shapes (types only); the registry no longer needs them (api/server-views.ts builds them)
  'registry', // registered servers and their connections
  'api', // admin REST routes and the API client
  'index.ts', // createGateway: wiring only
] as const;

function coreRoom(pathInCore: string): string {
  if (pathInCore === 'api/contract.ts') return 'contract';
  if (pathInCore === 'index.ts') return 'index.ts';
  if (!pathInCore.includes('/')) return 'shared files';
  return pathInCore.split('/')[0];
}

type ImportGraph = Map<string, string[]>;

/** Imports that point to a room not below their own (or into a room with no place in `order`). */
function upwardImports(graph: ImportGraph, roomOf: (file: string) => string, order: readonly string[]): string[] {
  const rank = (file: string) => order.indexOf(roomOf(file));
  const found: string[] = [];
  for (const [from, targets] of graph) {
    if (rank(from) < 0) found.push(`${from}: room '${roomOf(from)}' has no place in the order`);
    for (const to of targets) {
      if (roomOf(to) !== roomOf(from) && rank(to) >= rank(from)) found.push(`${from} → ${to}`);
    }
  }
  return found;
}

/** Groups of files that import each other, directly or through others (Tarjan's strongly connected components). */
function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || graph.get(file)?.includes(file)) cycles.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

/** Each source file under `dirs` with the project files it imports (type imports included), paths relative to ROOT. */
function importGraph(dirs: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of dirs.flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
    const targets = importsOf(readFileSync(file, 'utf8'))
      .map((ref) => resolveImport(file, ref.specifier))
      .filter((target): target is string => target !== undefined)
      .map((target) => relative(ROOT, target).split('\\').join('/'));
    graph.set(relative(ROOT, file).split('\\').join('/'), [...new Set(targets)]);
  }
  return graph;
}

describe('layer checks', () => {
  const graph: ImportGraph = new Map([
    ['a/low.ts', []],
    ['b/high.ts', ['a/low.ts']],
  ]);
  const roomOf = (file: string) => file.split('/')[0];

  it('accept imports that point down and find those that point up or leave the order', () => {
    expect(upwardImports(graph, roomOf, ['a', 'b'])).toEqual([]);
    expect(upwardImports(graph, roomOf, ['b', 'a'])).toEqual(['b/high.ts → a/low.ts']);
    expect(upwardImports(graph, roomOf, ['b'])).toEqual(["a/low.ts: room 'a' has no place in the order"]);
  });

  it('find cycles, however long, and nothing else', () => {
    expect(importCycles(graph)).toEqual([]);
    const cyclic: ImportGraph = new Map([
      ['x.ts', ['y.ts']],
      ['y.ts', ['z.ts']],
      ['z.ts', ['x.ts', 'w.ts']],
      ['w.ts', []],
      ['self.ts', ['self.ts']],
    ]);
    expect(importCycles(cyclic)).toEqual([['x.ts', 'y.ts', 'z.ts'], ['self.ts']]);
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
        const target = resolveImport(file, ref.specifier);
        if (target && /\.(ts|tsx)$/.test(target)) queue.push(target);
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

  it('inside main/core each room imports only the rooms below it', () => {
    const core = importGraph(['main/core']);
    const inCore = (file: string) => file.startsWith('main/core/');
    const coreOnly: ImportGraph = new Map([...core].map(([file, targets]) => [file, targets.filter(inCore)]));
    const roomOf = (file: string) => coreRoom(file.slice('main/core/'.length));
    expect(new Set([...core.keys()].map(roomOf))).toEqual(new Set(CORE_ROOMS));
    expect(upwardImports(coreOnly, roomOf, CORE_ROOMS)).toEqual([]);
  });

  it('no module imports itself through others (main, preload, renderer; type imports included)', () => {
    const graph = importGraph(['main', 'preload', 'renderer']);
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph)).toEqual([]);
  });

  it('the renderer reaches main/core through the @core alias, not ../../main paths', () => {
    const outside = sourceFiles(join(ROOT, 'renderer')).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((ref) => ref.specifier.startsWith('.'))
        .map((ref) => relative(ROOT, resolve(dirname(file), ref.specifier)).split('\\').join('/'))
        .filter((target) => !target.startsWith('renderer/') && target !== 'preload/canopy-bridge.ts')
        .map((target) => `${relative(ROOT, file)} → ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it('the preload imports only electron and its own folder', () => {
    const refs = importsOf(readFileSync(join(ROOT, 'preload', 'preload.ts'), 'utf8')).filter((ref) => ref.runtime);
    expect(refs.every((ref) => ref.specifier === 'electron' || ref.specifier.startsWith('./'))).toBe(true);
  });
});
