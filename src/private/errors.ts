/** Anything with a construct path (a construct), without depending on the constructs package. */
export interface HasPath {
  readonly node: { readonly path: string };
}

/**
 * Builds the error thrown for bad input to a construct: it names the construct path, what is
 * wrong and how to fix it, so a user never has to read a stack trace from inside the library.
 */
export function guardError(scope: HasPath | string, problem: string, fix: string): Error {
  const path = typeof scope === 'string' ? scope : scope.node.path;
  return new Error(`[${path}] ${problem}. Fix: ${fix}`);
}
