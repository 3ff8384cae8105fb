#!/usr/bin/env node
// The `canopy` command: runs the CLI's JavaScript bundle, which `npm install` builds from main/cli
// (scripts/build-cli.mjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli/canopy.mjs', import.meta.url);
if (!existsSync(bundle)) {
  console.error(`canopy: the CLI is not built: run \`npm run build:cli\` in ${join(fileURLToPath(import.meta.url), '..', '..')}`);
  process.exit(1);
}
await import(bundle.href);
