/** See index.mjs and dependency-patches.mjs. */
export interface Target {
	package: string;
	version: string;
	file: string;
	edits: [string, string][];
	prepend?: string;
	append?: string;
}
export interface Patch {
	name: string;
	targets: Target[];
	inBundle: RegExp[];
	notInBundle?: RegExp[];
}
export declare class PatchError extends Error {}
export declare function applyTarget(patch: Patch, target: Target, source: string, found: string): string;
export declare const patches: Patch[];
