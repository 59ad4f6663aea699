import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		setupFiles: ['test/support/setup.ts'],
		testTimeout: 20_000,
		hookTimeout: 30_000,
		// End-to-end tests drive real terminals and servers: keep them from starving each other on 2 cores.
		maxWorkers: 2,
		// A test that asserts wall-clock time says so with a tag (a typo in a tag's name fails the run).
		tags: [
			{
				name: 'timing',
				description:
					'asserts how long something took in wall-clock time (a deadline cut a stall in time): a starved machine can fail it',
			},
		],
		strictTags: true,
	},
});
