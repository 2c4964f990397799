/** Anything with a construct path (a construct), without depending on the constructs package. */
export interface HasPath {
  readonly node: { readonly path: string };
}

// Marks the errors of this library, and the process once it watches for them; global symbols, so
// that several copies of the library in one process (test runners reload modules) agree.
const GUARD_ERROR = Symbol.for('cdk8s-namespace-guard.error');
const WATCHING = Symbol.for('cdk8s-namespace-guard.watching');
const CDK8S_VALIDATION = 'Validation failed with the following errors';

/**
 * Builds the error thrown for bad input to a construct: it names the construct path, what is
 * wrong and how to fix it, so a user never has to read a stack trace from inside the library.
 */
export function guardError(scope: HasPath | string, problem: string, fix: string): Error {
  const path = typeof scope === 'string' ? scope : scope.node.path;
  const error = new Error(`[${path}] ${problem}. Fix: ${fix}`);
  Object.defineProperty(error, GUARD_ERROR, { value: true });
  return error;
}

/**
 * When one of these errors, or cdk8s's validation failure holding the guard's findings, ends the
 * process, Node first prints the library line that threw it and only then the message. A monitor of
 * uncaught exceptions, which changes nothing else (the process still fails as before), writes the
 * message first, so that it is the first thing the user reads.
 */
function showMessageFirst(): void {
  const proc = typeof process === 'undefined' ? undefined : process as unknown as Record<symbol, unknown> & NodeJS.Process;
  if (!proc || typeof proc.on !== 'function' || proc[WATCHING]) return;
  proc[WATCHING] = true;
  proc.on('uncaughtExceptionMonitor', (error: unknown) => {
    if (!(error instanceof Error)) return;
    const ours = (error as unknown as Record<symbol, unknown>)[GUARD_ERROR] === true;
    if (ours || error.message.startsWith(CDK8S_VALIDATION)) proc.stderr.write(`${error.message}\n\n`);
  });
}

showMessageFirst();
