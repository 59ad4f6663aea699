/**
 * What a command reads, writes, sees and ends with, handed to it whole (as create-astro hands every action one
 * Context): the command line gives the process's own, a test gives its own, so no test spies on process.stdout.
 */
export interface Terminal {
	stdin: NodeJS.ReadStream;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	env: NodeJS.ProcessEnv;
	/** Ends the process with this status: the command line's last word (a command returns its status instead). */
	exit(code?: number): never;
}

export function processTerminal(): Terminal {
	return {
		stdin: process.stdin,
		stdout: process.stdout,
		stderr: process.stderr,
		env: process.env,
		// process.exit(undefined) exits 0 whatever process.exitCode says: without a status, the one already set stands.
		exit: code => (code === undefined ? process.exit() : process.exit(code)),
	};
}
