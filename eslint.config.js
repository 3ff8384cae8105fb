// House rules a machine checks (`npm test` runs `eslint .`): ESLint's recommended rules and
// typescript-eslint's, over every source file. Rules are tuned below only with a reason.
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

// ESLint's own recommended set, read from the rules' metadata (what @eslint/js's `recommended`
// lists), so the config needs no package beyond eslint and typescript-eslint.
const eslintRecommended = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
);

export default tseslint.config(
  { ignores: ['dist/', 'dist-renderer/', 'release/', 'test-artifacts/'] },
  {
    files: ['**/*.{js,mjs,ts,tsx}'],
    rules: eslintRecommended,
  },
  {
    // Plain JavaScript runs in Node: its globals (TypeScript files get no-undef turned off below).
    files: ['**/*.{js,mjs}'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a parameter a signature needs but the body does not use; `const { a, ...rest } = x`
      // is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // A `let` bound late on purpose (closures made before it is assigned read it) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Migrations, dialect helpers and the test that builds databases of earlier versions work on
    // whatever schema the database has at that moment: `Kysely<any>` is Kysely's own idiom for that
    // (and old migrations are never edited).
    files: ['main/core/store/migrations/*.ts', 'main/core/store/dialect.ts', 'test/core/store.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
