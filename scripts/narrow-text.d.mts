/** See narrow-text.mjs. */
export declare const narrowText: RegExp;
export declare const narrowTerminalText: RegExp;
