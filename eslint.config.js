import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const LIBS_BY_ALIAS = {
  group: ['**/libs/*/src/**', '../../libs/**'],
  message: 'Import libs through @mas/* aliases.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Type-only imports say so: tests transpile each file alone (isolatedModules), where an
      // import of a type would otherwise survive into the ESM output and fail to link.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-imports': ['error', { patterns: [LIBS_BY_ALIAS] }],
    },
  },
  {
    // Every lib may throw these, so they depend on nothing, and say nothing about HTTP.
    files: ['libs/domain-errors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            LIBS_BY_ALIAS,
            { group: ['@nestjs/*', '@mas/*', 'express'], message: 'Domain errors import nothing.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/persistence/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            LIBS_BY_ALIAS,
            { group: ['@mas/http'], message: 'Persistence sits below the HTTP layer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Response bodies and SQL rows are untyped JSON; tests assert their shape instead.
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    // Jest loads global setup outside its TypeScript transform, so it imports the build.
    files: ['test/global-setup.js'],
    rules: { 'no-restricted-imports': 'off' },
  },
  prettier,
);
