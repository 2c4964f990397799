/** Exit codes of the namespace-guard command. */
export const EXIT_OK = 0;
/** The check ran and found something: a denied connection or a pod that Pod Security Admission would reject. */
export const EXIT_FAILED = 1;
/** Bad usage or bad input: unknown flags, invalid values, unreadable or invalid manifests. */
export const EXIT_USAGE = 2;

/** A mistake in the command line (a bad flag combination or value): reported on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
