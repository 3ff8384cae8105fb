import { defineConfig } from 'vitest/config';
import { coreAlias } from './vite.config.ts';

export default defineConfig({
  // Unit tests import renderer modules, which reach main/core through the alias.
  resolve: { alias: coreAlias },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests spawn real MCP servers and browsers; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
