// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const TEST_CODE = ['**/test/**', '**/test'];
const TEST_CODE_MESSAGE =
  'production code must not import test code (test/): a twin replaces a provider from the test side.';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      '.tmp/**',
      'eslint.config.mjs',
      'jest.config.js',
      'jest.mutation.config.js',
      'reports/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
      'no-console': ['error', { allow: ['error'] }],
      // Chinese documents use the ideographic space (U+3000) inside strings on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-console': 'off',
    },
  },
  {
    // Test-only behaviour (weakened twins, injected faults, builders) lives under test/; the
    // production code never imports it (issue 28). Specs next to the code may.
    files: ['src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: TEST_CODE, message: TEST_CODE_MESSAGE }] },
      ],
    },
  },
  {
    // The house's layers (issue 28): common/ and config/ are below the feature modules and never
    // import one. Import cycles are caught by test/unit/import-graph.spec.ts over the whole graph.
    files: ['src/common/**/*.ts', 'src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: TEST_CODE, message: TEST_CODE_MESSAGE },
            {
              group: ['**/modules/**', '**/modules'],
              message:
                'common/ and config/ must not import a feature module (src/modules/): move the shared part down.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/database/migration-cli.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Plain Node scripts that run before any build (npm start's build check): no type information.
    files: ['scripts/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false } },
  },
);
