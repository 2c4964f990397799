// The output formats of `namespace-guard admit`, apart from the command itself: the CLI's entry point
// offers them without loading the admission simulator (and its CEL runtime) for every command.
export const ADMIT_FORMATS = ['text', 'json'] as const;
export type AdmitFormat = (typeof ADMIT_FORMATS)[number];
