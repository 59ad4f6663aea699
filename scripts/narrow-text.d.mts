/** See narrow-text.mjs. */
export declare const narrowText: RegExp;
