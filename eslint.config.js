// Lint rules, including the room boundaries of DESIGN.md; each restriction says why in its message.
import fs from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const FRAMEWORKS = ['express', 'express/*', '@trpc/*', 'react', 'react-dom', 'react/*', '@mantine/*'];
const ENGINE_PACKAGES = fs
  .readdirSync(new URL('./packages', import.meta.url))
  .filter((name) => name !== 'api-types');
const WEB_FEATURES = fs.existsSync(new URL('./apps/web/src/features', import.meta.url))
  ? fs.readdirSync(new URL('./apps/web/src/features', import.meta.url))
  : [];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      '**/test-results/**',
      '**/playwright-report/**',
      '**/testdata/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'max-lines': ['warn', { max: 500, skipBlankLines: true, skipComments: true }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['packages/api-types/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\.\\.?/)', message: 'api-types depends on zod only.' }] },
      ],
    },
  },
  {
    files: ENGINE_PACKAGES.map((p) => `packages/${p}/src/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORKS, message: 'Engines are plain libraries: no HTTP, tRPC or UI frameworks.' },
            {
              regex: '^@pbs/api-types(/rpc(/.*)?)?$',
              message: "Engines import only '@pbs/api-types/domain' and '@pbs/api-types/errors'.",
            },
            { group: ['@pbs/bff', '@pbs/bff/*', '@pbs/web'], message: 'Lower layers never import the apps.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Engines take configuration as options; only composition roots read the environment.',
        },
      ],
      'no-console': ['error'],
    },
  },
  {
    files: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/testing/**/*.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-console': 'off' },
  },
  {
    // A CLI's entry folder is its own composition root: it reads the environment and prints.
    files: ['packages/client/src/cli/**/*.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-console': 'off' },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pbs/bff', '@pbs/bff/*'],
              allowTypeImports: true,
              message: 'The web app takes only the AppRouter type from the server.',
            },
            {
              group: ENGINE_PACKAGES.map((p) => `@pbs/${p}`),
              message: 'The web app imports runtime code only from @pbs/api-types.',
            },
          ],
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: WEB_FEATURES.map((feature) => ({
            target: `./apps/web/src/features/${feature}`,
            from: './apps/web/src/features',
            except: [`./${feature}`],
            message: 'Features never import each other; share through components/ or lib/.',
          })),
        },
      ],
    },
  },
  prettier,
);
