import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the '@pbs/source' export condition.
export default defineConfig({
  resolve: { conditions: ['@pbs/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@pbs/source', ...defaultServerConditions] } },
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
