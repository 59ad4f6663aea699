// google-auth-library prints deprecation and security warnings with console.warn (fromJSON, new Impersonated(), ...),
// which would corrupt the TUI and pollute print-* stderr. We show what matters as our own sentences instead.
let silenced = false;

export function silenceLibraryWarnings(): void {
	if (silenced) return;
	silenced = true;
	// Only the library's own notices: each points to the externally-sourced-credentials page. Anything else still shows.
	const warn = console.warn.bind(console);
	console.warn = (...args: unknown[]) => {
		if (
			args.some(arg => typeof arg === 'string' && /externally-sourced-credentials|does not validate the credential configuration/.test(arg))
		)
			return;
		warn(...args);
	};
	const emitWarning = process.emitWarning.bind(process);
	process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
		const text = typeof warning === 'string' ? warning : warning.message;
		if (/google|gaxios|credential|fromJSON|keyFilename|ADC/i.test(text)) return;
		(emitWarning as (...args: unknown[]) => void)(warning, ...rest);
	}) as typeof process.emitWarning;
}
