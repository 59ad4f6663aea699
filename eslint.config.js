// ESLint checks what the type checker and Prettier do not: the rules of hooks, and the mistakes typescript-eslint
// knows. Prettier owns the layout; max-len is here because Prettier leaves long strings and comments whole.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import {defineConfig} from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
	{ignores: ['dist/']},
	js.configs.recommended,
	tseslint.configs.recommended,
	// Rules that need the types (each a bug class the compiler lets through): a promise nobody awaits or catches,
	// a promise where a callback's return is ignored, awaiting what is not a promise, an object printed as
	// [object Object]. Checked with TypeScript 6's API, as typescript-eslint cannot use TypeScript 7's yet.
	{
		files: ['**/*.{ts,tsx,mts}'],
		languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/await-thenable': 'error',
			'@typescript-eslint/no-base-to-string': 'error',
		},
	},
	// React code: src/ui and the ink-testing-library tests (.tsx). Elsewhere `use…` is not a hook (`useFixture`).
	{files: ['src/**/*.{ts,tsx}', '**/*.tsx'], extends: [reactHooks.configs.flat['recommended-latest']]},
	{
		files: ['src/**/*.{ts,tsx}', '**/*.tsx'],
		rules: {'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error'},
	},
	// Scripts are JavaScript run by Node; in .ts files TypeScript itself checks every name.
	{files: ['**/*.{js,mjs}'], languageOptions: {globals: globals.node}},
	{
		linterOptions: {reportUnusedDisableDirectives: 'error'},
		rules: {
			// Tabs count as one column, as Prettier's 140 does not promise for strings and comments.
			'max-len': ['error', {code: 140, tabWidth: 1}],
			// `const {secret: _, ...rest} = value` is how a field is left out.
			'@typescript-eslint/no-unused-vars': ['error', {ignoreRestSiblings: true}],
			// A handler declared before the value it closes over is assigned (a server's close, its own request handler).
			'prefer-const': ['error', {ignoreReadBeforeAssign: true}],
		},
	},
);
