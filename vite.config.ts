// Builds the window's UI (renderer/) into dist/renderer, which the gateway serves at `/` and the
// desktop app loads from disk: relative asset paths (base './') work in both places.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
export const rendererOutDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));
/** `@core/api/contract.ts`: the renderer's way to the admin API's contract and client (tsconfig.json's `paths`). */
export const coreAlias = { '@core': fileURLToPath(new URL('./main/core', import.meta.url)) };

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  resolve: { alias: coreAlias },
  build: {
    outDir: rendererOutDir,
    emptyOutDir: true,
  },
  server: {
    // `vite dev` talks to a gateway running on the default port, as if the page came from it (the
    // gateway refuses admin API writes from other origins).
    proxy: { '/api': { target: 'http://127.0.0.1:7450', changeOrigin: true, headers: { origin: 'http://127.0.0.1:7450' } } },
  },
});
