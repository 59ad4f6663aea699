// What print-* accept, in a module of its own: cli.ts reads it at start-up without loading the command.

/** `token` (gcloud's output), `header` (ready for curl -H @-), `json` (for scripts that must know when to refresh). */
export const printFormats = ['token', 'header', 'json'] as const;
export type PrintFormat = (typeof printFormats)[number];

/** IAM's hard ceiling; beyond 3600 s only where the organisation policy allows it (IAM then says no, and we say why). */
export const maxLifetimeSeconds = 43_200;
