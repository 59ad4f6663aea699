import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		setupFiles: ['test/support/setup.ts'],
		testTimeout: 20_000,
		hookTimeout: 30_000,
		// End-to-end tests drive real terminals and servers: keep them from starving each other on 2 cores.
		maxWorkers: 2,
	},
});
