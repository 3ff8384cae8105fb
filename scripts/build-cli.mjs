#!/usr/bin/env node
// Bundles the `canopy` command to plain JavaScript: `node scripts/build-cli.mjs` writes
// dist/cli/canopy.mjs and its chunks, which bin/canopy.mjs runs (no TypeScript loader at run time).
// `npm install` runs it (prepare), and so do the tests' global setup and `npm run bench`, so neither
// runs a stale bundle. scripts/build-desktop.mjs builds the desktop app's copy with buildCli too.
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// esbuild's default chunk names: [name]-[hash].mjs
const CHUNK = /-[A-Z0-9]{8}\.mjs(\.map)?$/;

/**
 * Bundles main/cli/index.ts into `outdir` (relative to the package root) as `entryName`.mjs.
 * The entry and its chunks sit in one folder two levels below the package root, like main/cli/*.ts,
 * so the `../../` lookups relative to import.meta.url (package.json, bin/, dist/renderer) hold.
 */
export async function buildCli(outdir, entryName) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { [entryName]: 'main/cli/index.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // npm packages load from node_modules: native ones (better-sqlite3) cannot be bundled.
    packages: 'external',
    // Chunks, so what the commands import lazily (the gateway core and its packages for `serve`)
    // stays out of the entry: one ESM file would load every package it imports before running.
    splitting: true,
    outExtension: { '.js': '.mjs' },
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  // Chunks of earlier builds (their names carry a content hash) would pile up, and be packaged.
  const written = new Set(Object.keys(result.metafile.outputs).map((file) => relative(outdir, file)));
  for (const name of readdirSync(join(root, outdir))) {
    if (CHUNK.test(name) && !written.has(name) && !written.has(name.replace(/\.map$/, ''))) rmSync(join(root, outdir, name));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli('dist/cli', 'canopy');
