import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the '@pbs/source' export condition.
const conditions = ['@pbs/source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@pbs/source'] } },
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'engines', include: ['packages/*/src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'bff', include: ['apps/bff/test/**/*.test.ts', 'apps/bff/src/**/*.test.ts'] },
      },
    ],
  },
});
