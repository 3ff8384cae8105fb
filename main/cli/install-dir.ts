// This installation's files, found from this module's URL. The module sits two folders below the
// package root, like the CLI's bundles (dist/cli/, dist/desktop/), so one relative URL holds both
// when run from the sources and from a bundle.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const INSTALL_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const CANOPY_BIN = join(INSTALL_DIR, 'bin', 'canopy.mjs');
/** Where `vite build` puts the web UI; served from there as soon as it exists (no restart needed). */
export const RENDERER_DIR = join(INSTALL_DIR, 'dist', 'renderer');
