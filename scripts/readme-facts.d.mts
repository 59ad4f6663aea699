/** See readme-facts.mjs. */
export interface InstallFacts {
	tarball: number;
	unpacked: number;
	installed: number;
	packages: number;
}
export declare function measureInstall(input: {tarballBytes: number; unpackedBytes: number; installedDir: string}): Promise<InstallFacts>;
export declare function figure(bytes: number): string;
export declare function installSentence(facts: InstallFacts): string;
export declare function drift(facts: InstallFacts, readme: string): string[];
