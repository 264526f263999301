import js from '@eslint/js';
import astro from 'eslint-plugin-astro';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * Which way imports may point. Data flows one way: schemas ← lib ← data ← pages, components and
 * layouts; the CLI and the integrations use lib; browser scripts use lib and schemas only. An
 * import that points the wrong way fails the lint, and so CI. tests/unit/import-graph.test.ts
 * checks that no import cycle appears.
 */
const SITE = ['data', 'pages', 'components', 'layouts', 'integrations', 'cli'];
const boundary = (files, why, { folders, modules }) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: folders.flatMap((folder) => [`**/${folder}`, `**/${folder}/**`]),
            message: `${why}: it may not import ${folders.join(', ')}.`,
          },
          { group: modules, message: `${why}: it may not import ${modules.join(' or ')}.` },
        ],
      },
    ],
  },
});

export default defineConfig(
  { ignores: ['dist/', '.astro/', 'node_modules/', 'bench-out/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  boundary(['src/schemas/**'], 'src/schemas is the bottom layer, shared by the build, the CLI and the browser', {
    folders: ['lib', 'scripts', ...SITE],
    modules: ['astro:*'],
  }),
  boundary(['src/lib/**'], 'src/lib is the domain and knows nothing of the site, the build or the CLI', {
    folders: ['scripts', ...SITE],
    modules: ['astro:*'],
  }),
  boundary(['src/scripts/**'], 'src/scripts runs in the browser and takes its types from src/schemas, never from the build', {
    folders: SITE,
    modules: ['astro:*', 'node:*'],
  }),
  {
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
