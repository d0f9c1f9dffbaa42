import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test-host/**', '.vscode-test/**', 'node_modules/**', 'test-results/**', '.test-oracles/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The core must stay plain TypeScript so it runs in unit tests, the CLI and the emulator.
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/webview/**/*.ts', 'emulator/**/*.ts', 'test/unit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core is VS Code-free: put VS Code glue in src/features.' }],
          patterns: [{ regex: '(^|/)(features|services)(/|$)', message: 'The core never depends on the VS Code glue.' }],
        },
      ],
    },
  },
  {
    // Features never import each other: what two features share is a service (src/services) passed to activate.
    files: ['src/features/*/**/*.ts'],
    rules: {
      // `../x` is a sibling feature; `../../features/x` (or any path back into features/) is one too.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./(?!\\.)|(^|/)features/', message: 'Features never import each other: share it through src/services (see STYLE.md rule 5).' }] }],
    },
  },
  {
    // Services and shared helpers sit below the features.
    files: ['src/services/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)features(/|$)', message: 'Services and shared code never depend on a feature.' }] }],
    },
  },
  {
    files: ['test/e2e/**/*.mjs', 'test/vsix/**/*.mjs'],
    languageOptions: { globals: { describe: 'readonly', it: 'readonly', before: 'readonly', after: 'readonly', afterEach: 'readonly', document: 'readonly', Event: 'readonly' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
);
