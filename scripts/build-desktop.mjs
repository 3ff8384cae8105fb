#!/usr/bin/env node
// Bundles the desktop app's TypeScript for Electron (which cannot load .ts): `node scripts/build-desktop.mjs`.
//   dist/desktop/main.js          Electron main (ESM; npm packages stay in node_modules, native ones included)
//   dist/desktop/preload.cjs      the sandboxed preload (CommonJS: sandboxed preloads cannot be ESM)
//   dist/desktop/stdio-bridge.cjs the stdio bridge Claude Desktop launches (self-contained, no node_modules)
//   dist/desktop/cli.mjs          the `canopy` command the app can put on PATH (run in Node mode),
//                                 with its chunks: scripts/build-cli.mjs's build of `canopy`
// The bundles sit two folders below the package root, like main/core/*.ts, so the core's
// `../../package.json` lookups (relative to import.meta.url) still find package.json.
import { build } from 'esbuild';
import { buildCli } from './build-cli.mjs';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'info' };

await Promise.all([
  build({
    ...common,
    entryPoints: ['main/desktop/main.ts'],
    outfile: 'dist/desktop/main.js',
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: ['preload/preload.ts'],
    outfile: 'dist/desktop/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
  buildCli('dist/desktop', 'cli'),
  build({
    ...common,
    entryPoints: ['main/desktop/bridge-entry.ts'],
    outfile: 'dist/desktop/stdio-bridge.cjs',
    format: 'cjs',
  }),
]);
